// The gallery of public clips: posters, city filter, "more" by limit/offset.
import { api, el, heading, votes } from '../lib.js';

const PAGE = 12;

export function poster(video) {
  return video.poster_url
    ? el('img', { src: video.poster_url, alt: '', width: 320, height: 180, loading: 'lazy', decoding: 'async' })
    : el('span', { class: 'noposter', text: 'Sin póster' });
}

export default function gallery(root, { query, signal }) {
  const city = query.get('city') || '';
  const list = el('ul', { class: 'cards' });
  const status = el('p', { class: 'muted', role: 'status', text: 'Cargando videos…' });
  const more = el('button', { type: 'button', class: 'more', hidden: true, text: 'Ver más videos' });
  const form = el('form', { class: 'filter', role: 'search' },
    el('label', { for: 'g-city', text: 'Ciudad' }),
    el('input', { id: 'g-city', name: 'city', type: 'search', value: city, autocomplete: 'address-level2' }),
    el('button', { type: 'submit', text: 'Filtrar' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = form.elements.city.value.trim();
    location.hash = value ? `#/?city=${encodeURIComponent(value)}` : '#/';
  });
  root.append(heading(city ? `Videos de ${city}` : 'Videos'), form, status, list, more);

  let offset = 0;
  async function load() {
    more.disabled = true;
    try {
      const params = new URLSearchParams({ limit: PAGE, offset });
      if (city) params.set('city', city);
      const page = await api(`/api/public/videos?${params}`);
      if (signal.aborted) return;
      list.append(...page.map(card));
      offset += page.length;
      more.hidden = page.length < PAGE;
      status.textContent = offset ? '' : 'Todavía no hay videos publicados' + (city ? ' en esta ciudad.' : '.');
    } catch (err) {
      status.textContent = err.text || err.message;
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  load();
}

function card(video) {
  const href = `#/videos/${encodeURIComponent(video.video_id)}`;
  return el('li', { class: 'card' },
    el('a', { href, class: 'card-link' }, poster(video), el('span', { class: 'title', text: video.title })),
    el('p', { class: 'meta' }, el('span', { text: video.username }), ' · ', el('span', { text: video.city })),
    el('p', { class: 'count', text: votes(video.votes) + (video.voted_by_me ? ' · ya votaste' : '') }));
}
