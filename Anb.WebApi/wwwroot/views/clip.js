// One clip, at a shareable address: player, votes, the vote button.
import { api, ApiError, el, heading, session, votes } from '../lib.js';

export default async function clip(root, { id, signal }) {
  const title = heading('Video');
  const loading = el('p', { class: 'muted', role: 'status', text: 'Cargando…' });
  root.append(title, loading);
  let video;
  try {
    video = await api(`/api/public/videos/${encodeURIComponent(id)}`);
  } catch (err) {
    if (signal.aborted) return;
    title.textContent = err.status === 404 ? 'Video no disponible' : 'Video';
    loading.remove();
    root.append(el('p', { class: 'err', text: err.text || err.message }),
      el('p', {}, el('a', { href: '#/', text: 'Ver todos los videos' })));
    return;
  }
  if (signal.aborted) return;
  title.textContent = video.title;
  const count = el('p', { class: 'count', 'aria-live': 'polite', text: votes(video.votes) });
  const message = el('p', { class: 'err', role: 'alert' });
  const player = el('video', {
    controls: true, preload: 'metadata', playsinline: true, src: video.processed_url, poster: video.poster_url,
    'aria-label': `Video: ${video.title}`,
  });
  loading.remove();
  root.append(
    el('p', { class: 'meta' }, el('span', { text: video.username }), ' · ', el('span', { text: video.city })),
    player, count, voteControl(video, count, message), message,
    el('p', {}, el('a', { href: '#/', text: 'Ver todos los videos' })));
}

function voteControl(video, count, message) {
  if (!session.token()) {
    return el('p', {}, el('a', { href: `#/login?next=${encodeURIComponent(`/videos/${video.video_id}`)}`, text: 'Inicia sesión para votar' }));
  }
  const button = el('button', { type: 'button', class: 'vote' });
  const show = (voted) => {
    button.textContent = voted ? 'Ya votaste por este video' : 'Votar por este video';
    button.setAttribute('aria-pressed', String(voted));
    button.disabled = voted;
  };
  show(!!video.voted_by_me);
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.textContent = '';
    try {
      await api(`/api/public/videos/${encodeURIComponent(video.video_id)}/vote`, { method: 'POST', auth: 'required' });
      video.votes += 1;
      count.textContent = votes(video.votes);
      show(true);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      message.textContent = err.text;
      show(err.status === 400 && err.message === 'Ya has votado por este video.');
    }
  });
  return button;
}
