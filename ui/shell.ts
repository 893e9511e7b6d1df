import type { Facets, Session } from './types.js';

/** Shared by the pages: who is signed in, the filter and reason lists, and the current page's clean-up. */
export const state: {
  session: Session | null;
  facets: Facets | null;
  leave: (() => Promise<void>) | null;
  keys: ((e: KeyboardEvent) => void) | null;
  /** What the current page redoes after the reviewer signed in again over it (a claim page: take its lease again). */
  afterSignIn: (() => Promise<void>) | null;
  /** What is in flight ("Saving…"), while the page must not act; null when idle. */
  busy: string | null;
} = {
  session: null,
  facets: null,
  leave: null,
  keys: null,
  afterSignIn: null,
  busy: null,
};

type Control = HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
let disabledWhileBusy: Control[] = [];

/**
 * Marks the page busy while a request is in flight (`label`, e.g. "Saving…"), or idle (null): shown
 * and announced, aria-busy, and the page's controls disabled, so nothing acts on a page about to change.
 */
export function setBusy(label: string | null): void {
  const main = document.getElementById('main')!;
  const indicator = document.getElementById('busy')!;
  state.busy = label;
  indicator.textContent = label ?? '';
  indicator.hidden = label === null;
  if (label === null) {
    main.removeAttribute('aria-busy');
    for (const control of disabledWhileBusy) control.disabled = false;
    disabledWhileBusy = [];
    return;
  }
  main.setAttribute('aria-busy', 'true');
  if (disabledWhileBusy.length > 0) return;
  disabledWhileBusy = [...main.querySelectorAll<Control>('button, input, select, textarea')].filter((c) => !c.disabled);
  for (const control of disabledWhileBusy) control.disabled = true;
}

/** Names the page in the browser's tab and history: "Claim R-… · Warranty review". */
export function setTitle(page: string): void {
  document.title = `${page} · Warranty review`;
}

export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** Puts a page in <main> and moves focus to its heading, so screen readers announce the new page. */
export function mount(...children: Node[]): void {
  const main = document.getElementById('main')!;
  main.replaceChildren(...children);
  (main.querySelector('h1') ?? main).setAttribute('tabindex', '-1');
  (main.querySelector<HTMLElement>('h1') ?? main).focus();
}
