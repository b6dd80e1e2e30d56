// Upload: quick checks in the browser (type, size, duration), a byte progress bar; the API decides.
import { ApiError, el, field, flash, formEnd, heading, result, session, showErrors, clearErrors } from '../lib.js';

const MAX_BYTES = 100 * 1024 * 1024;
const MIN_SECONDS = 20;
const MAX_SECONDS = 60;

export default function upload(root, { signal }) {
  const progress = el('progress', { max: 100, value: 0, 'aria-label': 'Progreso de la subida' });
  const percent = el('span', { class: 'percent' });
  const bar = el('p', { class: 'bar', hidden: true }, progress, percent);
  const form = el('form', { novalidate: true },
    field('Título', 'title', { required: true, maxlength: 200 }),
    field('Video (MP4)', 'video_file', { type: 'file', accept: 'video/mp4,.mp4', required: true },
      'MP4 de 20 a 60 segundos, 1080p o más, hasta 100 MB.'),
    bar, ...formEnd('Subir video'));
  root.append(heading('Subir un video'), form);
  let xhr = null;
  signal.addEventListener('abort', () => xhr && xhr.abort());

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    const title = form.elements.title.value.trim();
    const file = form.elements.video_file.files[0];
    const problem = !title ? ['title', 'El campo title es obligatorio.'] : await check(file);
    if (problem) {
      showErrors(form, new ApiError(400, { detail: problem[1], errors: { [problem[0]]: [problem[1]] } }));
      return;
    }
    button.disabled = true;
    bar.hidden = false;
    try {
      const answer = await send(title, file, (loaded, total) => {
        const p = Math.floor((loaded / total) * 100);
        progress.value = p;
        percent.textContent = `${p} %`;
      }, (x) => { xhr = x; });
      flash(answer && answer.message ? answer.message : 'Video subido.');
      location.hash = '#/mine';
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      bar.hidden = true;
      showErrors(form, err, { alias: { file_path: 'video_file' } });
    } finally {
      button.disabled = false;
    }
  });
}

/** The first quick check that fails, as [field, message]; the server checks everything again. */
async function check(file) {
  if (!file) return ['video_file', 'El campo video_file es obligatorio.'];
  if (!/\.mp4$/i.test(file.name) && file.type !== 'video/mp4') return ['video_file', 'El archivo debe ser un video MP4 válido.'];
  if (file.size > MAX_BYTES) return ['video_file', 'El archivo supera el tamaño máximo de 100 MB.'];
  const seconds = await duration(file);
  if (seconds !== null && (seconds < MIN_SECONDS || seconds > MAX_SECONDS)) {
    return ['video_file', `La duración del video debe estar entre ${MIN_SECONDS} y ${MAX_SECONDS} segundos.`];
  }
  return null;
}

/** The duration from the file's metadata, read by a detached <video>; null when the browser cannot tell. */
function duration(file) {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    const url = URL.createObjectURL(file);
    // Stop the element's loading before the blob goes, or Chromium logs a fetch of the revoked URL.
    const done = (value) => {
      video.onerror = null;
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => done(null), 5000);
    video.preload = 'metadata';
    video.onloadedmetadata = () => { clearTimeout(timer); done(Number.isFinite(video.duration) ? video.duration : null); };
    video.onerror = () => { clearTimeout(timer); done(null); };
    video.src = url;
  });
}

/** POSTs the multipart form with XMLHttpRequest, whose upload events give the byte progress. */
function send(title, file, onProgress, started) {
  return new Promise((resolve, reject) => {
    const token = session.token();
    if (!token) {
      reject(new ApiError(401, { detail: 'Inicia sesión para continuar.' }));
      return;
    }
    const body = new FormData();
    body.append('title', title);
    body.append('video_file', file, file.name);
    const xhr = new XMLHttpRequest();
    started(xhr);
    xhr.open('POST', '/api/videos/upload');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = () => {
      try {
        resolve(result(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After'), true));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'No hay conexión con el servidor. Intenta de nuevo.' }));
    xhr.onabort = () => reject(new ApiError(0, { detail: 'Subida cancelada.' }));
    xhr.send(body);
  });
}
