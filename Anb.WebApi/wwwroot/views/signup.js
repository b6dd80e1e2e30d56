// Sign up: each field shows the API's message about it.
import { api, el, field, flash, formEnd, heading, submitting } from '../lib.js';

const FIELDS = [
  ['Nombre', 'first_name', { autocomplete: 'given-name' }],
  ['Apellido', 'last_name', { autocomplete: 'family-name' }],
  ['Email', 'email', { type: 'email', autocomplete: 'email' }],
  ['Contraseña', 'password1', { type: 'password', autocomplete: 'new-password' }, 'Al menos 8 caracteres.'],
  ['Repite la contraseña', 'password2', { type: 'password', autocomplete: 'new-password' }],
  ['Ciudad', 'city', { autocomplete: 'address-level2' }],
  ['País', 'country', { autocomplete: 'country-name' }],
];

export default function signup(root) {
  const form = el('form', { novalidate: true },
    FIELDS.map(([label, name, attrs, hint]) => field(label, name, { required: true, ...attrs }, hint)),
    ...formEnd('Crear cuenta'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = Object.fromEntries(FIELDS.map(([, name]) => [name, form.elements[name].value]));
    submitting(form, async () => {
      await api('/api/auth/signup', { method: 'POST', auth: 'none', body });
      flash('Cuenta creada. Ya puedes entrar.');
      location.hash = '#/login';
    }, { guess: { 'El email ya está registrado.': 'email', 'Las contraseñas no coinciden.': 'password2' } });
  });
  root.append(heading('Crear cuenta'), form,
    el('p', {}, '¿Ya tienes cuenta? ', el('a', { href: '#/login', text: 'Entra' })));
}
