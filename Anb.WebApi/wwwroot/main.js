// The router: #/… addresses, so every view (a clip's too) has an address to share.
import { el, flash, heading, session } from './lib.js';

const views = { '': 'gallery', videos: 'clip', rankings: 'rankings', login: 'login', signup: 'signup', mine: 'mine', upload: 'upload' };
const needSession = new Set(['mine', 'upload']);
const main = document.getElementById('view');
let current = null;
let flashShown = false;
let first = true;

function parse() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  return { name: views[parts[0] || ''], id: parts[1] ? decodeURIComponent(parts[1]) : null, query: new URLSearchParams(query) };
}

function updateNav(name) {
  const signedIn = !!session.token();
  for (const li of document.querySelectorAll('#nav [data-auth]')) li.hidden = (li.dataset.auth === 'in') !== signedIn;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  const r = parse();
  if (flashShown) flash('');
  flashShown = !!document.getElementById('flash').textContent;
  if (needSession.has(r.name) && !session.token()) {
    flash('Inicia sesión para continuar.');
    flashShown = false;
    location.replace(`#/login?next=${encodeURIComponent(location.hash.slice(1))}`);
    return;
  }
  updateNav(r.name);
  if (!r.name) {
    main.replaceChildren(heading('Página no encontrada'), el('p', {}, el('a', { href: '#/', text: 'Ir a los videos' })));
    main.querySelector('h1').focus();
    return;
  }
  const view = await import(`./views/${r.name}.js`);
  if (controller.signal.aborted) return;
  const root = el('div', { class: `view view-${r.name}` });
  main.replaceChildren(root);
  view.default(root, { ...r, signal: controller.signal });
  // After a change of view, not on arrival: then the first Tab still reaches the skip link.
  const h1 = root.querySelector('h1');
  if (h1 && !first) h1.focus();
  first = false;
}

document.getElementById('logout').addEventListener('click', () => {
  session.drop();
  flash('Sesión cerrada.');
  location.hash = '#/';
});
addEventListener('anb-session', () => updateNav(parse().name));
addEventListener('hashchange', route);
route();
