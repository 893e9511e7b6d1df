import { api, ApiError, onSessionEnded, setCsrfToken } from './api.js';
import { announce, h, typing } from './dom.js';
import { renderClaim } from './claim-page.js';
import { renderQueue } from './queue-page.js';
import { mount, navigate, setBusy, setTitle, state } from './shell.js';
import { signInForm } from './sign-in.js';
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
  // The claim goes back to the queue before the session ends: a release after it would be refused.
  const leave = state.leave;
  state.leave = null;
  await leave?.();
  await api('DELETE', '/session', undefined, { signInAgain: false }).catch(() => undefined);
  state.session = null;
  renderNav();
  navigate('#/sign-in');
}

function renderSignIn(message?: string): void {
  const form = signInForm({
    heading: 'Sign in',
    message,
    onSignedIn: (session) => {
      state.session = session;
      renderNav();
      navigate('#/queue');
    },
  });
  mount(form.element);
  setTitle('Sign in');
  form.focus();
}

let signingInAgain: Promise<void> | null = null;

/**
 * A request refused because the session ended: the sign-in form in a dialog over the page, which keeps
 * everything typed on it. Resolves once signed in (and the page has redone what it needs, such as
 * taking its claim's lease again), so the refused request is sent again; rejects if the reviewer closes it.
 */
function signInAgain(): Promise<void> {
  signingInAgain ??= new Promise<void>((resolve, reject) => {
    let signedIn = false;
    const form = signInForm({
      heading: 'Your session ended: sign in again',
      message: 'What you typed on this page is kept; your last action is done once you are signed in.',
      username: state.session?.user.username,
      idPrefix: 'again-',
      onSignedIn: async (session) => {
        state.session = session;
        renderNav();
        await state.afterSignIn?.();
        signedIn = true;
        dialog.close();
      },
    });
    const dialog = h('dialog', { class: 'sign-in-again', 'aria-labelledby': 'again-sign-in-title' }, form.element);
    dialog.addEventListener('close', () => {
      dialog.remove();
      signingInAgain = null;
      if (signedIn) resolve();
      else reject(new ApiError(401, 'unauthorized', 'Your session ended; please sign in again.'));
    });
    document.body.append(dialog);
    dialog.showModal();
    form.focus();
  });
  return signingInAgain;
}
onSessionEnded(signInAgain);

async function route(): Promise<void> {
  void state.leave?.();
  state.leave = null;
  state.keys = null;
  state.afterSignIn = null;
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
  const claim = /^#\/claims\/(.+)$/.exec(hash);
  setBusy(claim ? 'Loading claim…' : 'Loading the queue…');
  try {
    state.facets ??= await api<Facets>('GET', '/facets');
    const claim = /^#\/claims\/([^?]+)(?:\?(.*))?$/.exec(hash);
    if (claim) await renderClaim(decodeURIComponent(claim[1]!), new URLSearchParams(claim[2] ?? ''));
    else await renderQueue(new URLSearchParams(hash.split('?')[1] ?? ''));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      state.session = null;
      return renderSignIn('Your session ended; please sign in again.');
    }
    const heading = e instanceof ApiError && e.status === 403 ? 'Not allowed' : 'Something went wrong';
    setTitle(heading);
    mount(h('h1', {}, heading), h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
  } finally {
    setBusy(null);
  }
}

document.addEventListener('keydown', (event) => {
  if (signingInAgain) return;
  // A shortcut pressed while a request is in flight would act on a page about to change: refused, said so.
  if (state.busy) {
    if (!typing(event) && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key.length === 1 || event.key === 'Escape')) {
      event.preventDefault();
      announce(`Still ${state.busy.charAt(0).toLowerCase()}${state.busy.slice(1)}`);
    }
    return;
  }
  state.keys?.(event);
});
window.addEventListener('hashchange', () => void route());
window.addEventListener('pagehide', () => void state.leave?.());
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) =>
  announce(event.reason instanceof Error ? event.reason.message : String(event.reason)),
);
void route();
