// Shared by every view: the session, calls to the REST API, building DOM with text only, forms.

const KEY = 'anb.session';

/** The token lives in this tab only (sessionStorage) and is forgotten at expiry or on a 401. */
export const session = {
  token() {
    try {
      const s = JSON.parse(sessionStorage.getItem(KEY));
      if (s && s.exp > Date.now()) return s.token;
    } catch { /* unreadable: dropped below */ }
    sessionStorage.removeItem(KEY);
    return null;
  },
  save(token, seconds) {
    sessionStorage.setItem(KEY, JSON.stringify({ token, exp: Date.now() + seconds * 1000 }));
    changed();
  },
  drop() {
    sessionStorage.removeItem(KEY);
    changed();
  },
};

function changed() { dispatchEvent(new Event('anb-session')); }

/** A problem answer of the API: its status, detail, errors by field and Retry-After. */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body && typeof body.detail === 'string' ? body.detail : `Error ${status}. Intenta de nuevo.`);
    this.status = status;
    this.errors = body && body.errors && typeof body.errors === 'object' ? body.errors : {};
    this.retryAfter = retryAfter ? Number(retryAfter) : null;
  }

  /** The detail, plus when to try again for a 429 or 503. */
  get text() {
    return this.retryAfter ? `${this.message} Puedes reintentar en ${this.retryAfter} s.` : this.message;
  }
}

/** Reads an answer: the JSON body on success, else throws an ApiError (a 401 ends the session). */
export function result(status, text, retryAfter, hadToken) {
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (status >= 200 && status < 300) return body;
  if (status === 401 && hadToken) {
    session.drop();
    flash('Tu sesión terminó. Inicia sesión de nuevo.');
  }
  throw new ApiError(status, body, retryAfter);
}

/** Calls the API; auth 'required' needs a session, 'optional' sends the token when there is one. */
export async function api(path, { method = 'GET', body, auth = 'optional' } = {}) {
  const token = session.token();
  if (auth === 'required' && !token) {
    session.drop();
    throw new ApiError(401, { detail: 'Inicia sesión para continuar.' });
  }
  const headers = {};
  if (token && auth !== 'none') headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { detail: 'No hay conexión con el servidor. Intenta de nuevo.' });
  }
  const text = await res.text();
  if (res.status === 401 && headers.Authorization && auth === 'optional') {
    session.drop();
    return api(path, { method, body, auth: 'none' });
  }
  return result(res.status, text, res.headers.get('Retry-After'), !!headers.Authorization);
}

/** An element; `text` sets textContent, `on…` adds listeners, other props are attributes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((c) => c != null && c !== false));
  return node;
}

/** A status line kept across one change of view. */
export function flash(text) {
  const node = document.getElementById('flash');
  if (node) node.textContent = text || '';
}

export function votes(n) { return n === 1 ? '1 voto' : `${n ?? 0} votos`; }

export function date(iso) {
  return iso ? new Date(iso).toLocaleString('es', { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** The view's heading, focused after each change of view. */
export function heading(text) { return el('h1', { tabindex: '-1', text }); }

/** A labelled input with the place for its error, which the input points at. */
export function field(label, name, attrs = {}, hint) {
  const id = `f-${name}`;
  const input = el('input', { id, name, 'aria-describedby': `${id}-err${hint ? ` ${id}-hint` : ''}`, ...attrs });
  return el('div', { class: 'field' },
    el('label', { for: id, text: label }),
    hint ? el('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null,
    input,
    el('p', { class: 'err', id: `${id}-err` }));
}

/** A form's own error line (for answers that name no field) and submit button. */
export function formEnd(label) {
  return [el('p', { class: 'err', 'data-form-err': '', role: 'alert' }), el('button', { type: 'submit', text: label })];
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll('.err')) p.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

/**
 * Shows an error next to its field: the API's `errors` keys (renamed by `alias`), else the field
 * `guess` names for the detail, else at the form's end. Focuses the first field in error.
 */
export function showErrors(form, err, { alias = {}, guess = {} } = {}) {
  clearErrors(form);
  let byField = Object.entries(err.errors || {});
  if (!byField.length && guess[err.message]) byField = [[guess[err.message], [err.message]]];
  let first = null;
  for (const [key, messages] of byField) {
    const input = form.elements[alias[key] || key];
    if (!input || !input.id) continue;
    document.getElementById(`${input.id}-err`).textContent = [].concat(messages).join(' ');
    input.setAttribute('aria-invalid', 'true');
    first = first || input;
  }
  if (first) first.focus();
  else form.querySelector('[data-form-err]').textContent = err.text || err.message;
}

/** Runs `work` with the form's button disabled; shows what it throws. */
export async function submitting(form, work, options) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  clearErrors(form);
  try {
    await work();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    showErrors(form, err, options);
  } finally {
    button.disabled = false;
  }
}
