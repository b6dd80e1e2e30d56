// Log in: the token is kept for this tab only.
import { api, el, field, flash, formEnd, heading, session, submitting } from '../lib.js';

export default function login(root, { query }) {
  const form = el('form', { novalidate: true },
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Contraseña', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    ...formEnd('Entrar'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitting(form, async () => {
      const answer = await api('/api/auth/login', {
        method: 'POST', auth: 'none', body: { email: form.elements.email.value.trim(), password: form.elements.password.value },
      });
      session.save(answer.access_token, answer.expires_in);
      flash('Sesión iniciada.');
      const next = query.get('next');
      location.hash = next && next.startsWith('/') ? `#${next}` : '#/mine';
    }, { guess: { 'Credenciales inválidas.': 'password' } });
  });
  root.append(heading('Entrar'), form,
    el('p', {}, '¿No tienes cuenta? ', el('a', { href: '#/signup', text: 'Crea una' })));
}
