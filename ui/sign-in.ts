import { api, setCsrfToken } from './api.js';
import { h } from './dom.js';
import type { Session } from './types.js';

export interface SignInForm {
  element: HTMLFormElement;
  /** Focuses the first empty field. */
  focus(): void;
}

/**
 * The sign-in form, one component for the sign-in page and for signing in again over a page whose
 * session ended. `idPrefix` keeps the two forms' ids apart (the heading's is `${idPrefix}sign-in-title`).
 */
export function signInForm(options: {
  heading: string;
  message?: string;
  username?: string;
  idPrefix?: string;
  onSignedIn: (session: Session) => void | Promise<void>;
}): SignInForm {
  const prefix = options.idPrefix ?? '';
  const username = h('input', {
    id: `${prefix}username`,
    name: 'username',
    autocomplete: 'username',
    required: true,
    value: options.username ?? '',
  });
  const password = h('input', {
    id: `${prefix}password`,
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' }, options.message ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const element = h(
    'form',
    { class: 'sign-in', novalidate: false },
    h('h1', { id: `${prefix}sign-in-title` }, options.heading),
    h('label', { for: `${prefix}username` }, 'User name'),
    username,
    h('label', { for: `${prefix}password` }, 'Password'),
    password,
    error,
    submit,
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      submit.disabled = true;
      try {
        const session = await api<Session>('POST', '/session', { username: username.value, password: password.value });
        setCsrfToken(session.csrfToken);
        await options.onSignedIn(session);
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
        password.value = '';
        password.focus();
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return { element, focus: () => (username.value ? password : username).focus() };
}
