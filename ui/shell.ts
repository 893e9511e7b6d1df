import type { Facets, Session } from './types.js';

/** Shared by the pages: who is signed in, the filter and reason lists, and the current page's clean-up. */
export const state: {
  session: Session | null;
  facets: Facets | null;
  leave: (() => void) | null;
  keys: ((e: KeyboardEvent) => void) | null;
} = {
  session: null,
  facets: null,
  leave: null,
  keys: null,
};

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
