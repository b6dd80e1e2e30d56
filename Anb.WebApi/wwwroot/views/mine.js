// My videos: status, live progress while processing, failure reason, downloads, delete while not public.
import { api, ApiError, date, el, heading, votes } from '../lib.js';

const STATUS = { uploaded: 'En cola', processing: 'Procesando', processed: 'Publicado', failed: 'Falló' };
const POLL_MS = 1500;

export default function mine(root, { signal }) {
  const list = el('ul', { class: 'mine' });
  const status = el('p', { class: 'muted', role: 'status', text: 'Cargando tus videos…' });
  root.append(heading('Mis videos'), el('p', {}, el('a', { href: '#/upload', text: 'Subir un video' })), status, list);
  const rows = new Map();
  let timer = 0;
  signal.addEventListener('abort', () => clearTimeout(timer));

  async function refresh() {
    let videos;
    try {
      videos = await api('/api/videos', { auth: 'required' });
    } catch (err) {
      if (signal.aborted) return;
      status.textContent = err.text || err.message;
      if (err.status === 401) location.hash = '#/login?next=%2Fmine';
      else timer = setTimeout(refresh, POLL_MS * 4);
      return;
    }
    if (signal.aborted) return;
    status.textContent = videos.length ? '' : 'Aún no has subido videos.';
    const seen = new Set();
    for (const video of videos) {
      seen.add(video.video_id);
      let row = rows.get(video.video_id);
      if (!row) {
        row = new Row(video, () => { rows.delete(video.video_id); row.node.remove(); });
        rows.set(video.video_id, row);
        list.append(row.node);
      }
      row.update(video);
    }
    for (const [id, row] of rows) if (!seen.has(id)) { row.node.remove(); rows.delete(id); }
    if (videos.some((v) => v.status === 'uploaded' || v.status === 'processing')) timer = setTimeout(refresh, POLL_MS);
  }
  refresh();
}

class Row {
  constructor(video, removed) {
    this.id = video.video_id;
    this.removed = removed;
    this.state = el('span', { class: 'state' });
    this.progress = el('progress', { max: 100, 'aria-label': `Progreso de ${video.title}` });
    this.percent = el('span', { class: 'percent' });
    this.bar = el('p', { class: 'bar' }, this.progress, this.percent);
    this.reason = el('p', { class: 'err' });
    this.links = el('div', { class: 'links' });
    this.downloads = el('details', {}, el('summary', { text: 'Descargas' }), this.links);
    this.downloads.addEventListener('toggle', () => { if (this.downloads.open) this.loadLinks(); });
    this.message = el('p', { class: 'err', role: 'alert' });
    this.remove = el('button', { type: 'button', class: 'danger', text: 'Eliminar' });
    this.remove.addEventListener('click', () => this.delete(video.title));
    this.node = el('li', { class: 'item' },
      el('h2', { text: video.title }),
      el('p', { class: 'meta' }, this.state, ' · ', el('span', { text: `subido ${date(video.uploaded_at)}` })),
      this.bar, this.reason, this.downloads, this.remove, this.message);
  }

  update(video) {
    const changed = this.status !== video.status;
    this.status = video.status;
    this.node.dataset.status = video.status;
    this.state.textContent = STATUS[video.status] || video.status;
    const working = video.status === 'uploaded' || video.status === 'processing';
    this.bar.hidden = !working;
    if (working) {
      const p = typeof video.progress === 'number' ? Math.round(video.progress) : null;
      if (p === null) this.progress.removeAttribute('value');
      else this.progress.value = p;
      this.percent.textContent = p === null ? (video.status === 'uploaded' ? 'en cola' : 'procesando…') : `${p} %`;
    }
    this.remove.hidden = video.status === 'processed';
    if (changed && video.status === 'processed') {
      this.state.replaceChildren(el('a', { href: `#/videos/${encodeURIComponent(this.id)}`, text: STATUS.processed }));
    }
    if (changed && video.status === 'failed') this.loadReason();
    if (changed && this.downloads.open) this.loadLinks();
  }

  async loadReason() {
    try {
      const detail = await api(`/api/videos/${encodeURIComponent(this.id)}`, { auth: 'required' });
      this.reason.textContent = detail.failure_reason ? `Motivo: ${detail.failure_reason}` : '';
    } catch (err) {
      this.reason.textContent = err.text || err.message;
    }
  }

  async loadLinks() {
    this.links.replaceChildren(el('span', { class: 'muted', text: 'Cargando…' }));
    try {
      const d = await api(`/api/videos/${encodeURIComponent(this.id)}`, { auth: 'required' });
      this.links.replaceChildren(
        d.original_url ? el('a', { href: d.original_url, download: '', text: 'Original' }) : null,
        d.processed_url ? el('a', { href: d.processed_url, download: '', text: 'Versión ANB' }) : null,
        d.status === 'processed' ? el('span', { class: 'muted', text: votes(d.votes) }) : null);
    } catch (err) {
      this.links.replaceChildren(el('span', { class: 'err', text: err.text || err.message }));
    }
  }

  async delete(title) {
    if (!confirm(`¿Eliminar «${title}»? No se puede deshacer.`)) return;
    this.remove.disabled = true;
    this.message.textContent = '';
    try {
      await api(`/api/videos/${encodeURIComponent(this.id)}`, { method: 'DELETE', auth: 'required' });
      this.removed();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.message.textContent = err.text;
      this.remove.disabled = false;
    }
  }
}
