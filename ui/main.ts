import { api, ApiError, setCsrfToken } from './api.js';
import { announce, h } from './dom.js';
import { renderClaim } from './claim-page.js';
import { renderQueue } from './queue-page.js';
import { mount, navigate, setTitle, state } from './shell.js';
import type { Facets, Session } from './types.js';

function renderNav(): void {
  const nav = document.getElementById('nav')!;
  const session = state.session;
  nav.replaceChildren(
    ...(session
      ? [
          h('a', { href: '#/queue' }, 'Queue'),
          h('span', { class: 'who' }, `${session.user.username} (${session.user.role})`),
          h('button', { type: 'button', onclick: () => void signOut() }, 'Sign out'),
        ]
      : []),
  );
}

async function signOut(): Promise<void> {
  state.leave?.();
  await api('DELETE', '/session').catch(() => undefined);
  state.session = null;
  renderNav();
  navigate('#/sign-in');
}

function renderSignIn(message?: string): void {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    { class: 'sign-in', novalidate: false },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'username' }, 'User name'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      try {
        state.session = await api<Session>('POST', '/session', { username: username.value, password: password.value });
        setCsrfToken(state.session.csrfToken);
        renderNav();
        navigate('#/queue');
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
        password.value = '';
        password.focus();
      }
    })();
  });
  mount(form);
  setTitle('Sign in');
  username.focus();
}

async function route(): Promise<void> {
  state.leave?.();
  state.leave = null;
  state.keys = null;
  const hash = location.hash || '#/queue';
  if (!state.session) {
    try {
      state.session = await api<Session>('GET', '/session');
      setCsrfToken(state.session.csrfToken);
    } catch {
      renderNav();
      return renderSignIn();
    }
  }
  renderNav();
  if (hash.startsWith('#/sign-in')) return navigate('#/queue');
  try {
    state.facets ??= await api<Facets>('GET', '/facets');
    const claim = /^#\/claims\/(.+)$/.exec(hash);
    if (claim) await renderClaim(decodeURIComponent(claim[1]!));
    else await renderQueue(new URLSearchParams(hash.split('?')[1] ?? ''));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      state.session = null;
      return renderSignIn('Your session ended; please sign in again.');
    }
    const heading = e instanceof ApiError && e.status === 403 ? 'Not allowed' : 'Something went wrong';
    setTitle(heading);
    mount(h('h1', {}, heading), h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
  }
}

document.addEventListener('keydown', (event) => state.keys?.(event));
window.addEventListener('hashchange', () => void route());
window.addEventListener('pagehide', () => state.leave?.());
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) =>
  announce(event.reason instanceof Error ? event.reason.message : String(event.reason)),
);
void route();
