// Players ranked by votes, by city, page by page.
import { api, el, heading, votes } from '../lib.js';

const PAGE = 10;

export default async function rankings(root, { query, signal }) {
  const city = query.get('city') || '';
  const page = Math.max(1, Number.parseInt(query.get('page'), 10) || 1);
  const form = el('form', { class: 'filter', role: 'search' },
    el('label', { for: 'r-city', text: 'Ciudad' }),
    el('input', { id: 'r-city', name: 'city', type: 'search', value: city }),
    el('button', { type: 'submit', text: 'Filtrar' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = address(form.elements.city.value.trim(), 1);
  });
  const status = el('p', { class: 'muted', role: 'status', text: 'Cargando ranking…' });
  root.append(heading(city ? `Ranking de ${city}` : 'Ranking'), form, status);
  let rows;
  try {
    const params = new URLSearchParams({ limit: PAGE + 1, offset: (page - 1) * PAGE });
    if (city) params.set('city', city);
    rows = await api(`/api/public/rankings?${params}`, { auth: 'none' });
  } catch (err) {
    status.textContent = err.text || err.message;
    return;
  }
  if (signal.aborted) return;
  status.textContent = rows.length ? '' : 'No hay jugadores en este ranking.';
  const shown = rows.slice(0, PAGE);
  if (shown.length) {
    root.append(el('table', { class: 'ranking' },
      el('caption', { class: 'sr-only', text: `Página ${page}` }),
      el('thead', {}, el('tr', {}, ['Puesto', 'Jugador', 'Ciudad', 'Votos'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, shown.map((r) => el('tr', {},
        el('td', { text: String(r.position) }), el('td', { text: r.username }), el('td', { text: r.city }), el('td', { text: votes(r.votes) }))))));
  }
  const pager = el('nav', { class: 'pager', 'aria-label': 'Páginas del ranking' });
  if (page > 1) pager.append(el('a', { href: address(city, page - 1), text: 'Anterior' }));
  if (rows.length > PAGE) pager.append(el('a', { href: address(city, page + 1), text: 'Siguiente' }));
  if (pager.childElementCount) root.append(pager);
}

function address(city, page) {
  const params = new URLSearchParams();
  if (city) params.set('city', city);
  if (page > 1) params.set('page', page);
  const q = params.toString();
  return `#/rankings${q ? `?${q}` : ''}`;
}
