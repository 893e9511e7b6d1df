import { h } from '../dom.js';

export const CLAIM_SHORTCUTS: Array<[string, string]> = [
  ['a', 'approve'],
  ['r', 'reject'],
  ['i', 'ask the customer'],
  ['u', 'undo your last decision (for a few seconds after it)'],
  ['e', 'edit the first field'],
  ['+ / −', 'zoom'],
  ['0', 'fit to width'],
  ['o', 'rotate'],
  ['[ / ]', 'previous / next page'],
  ['h', 'show or hide where the image may have been edited'],
  ['s', 'skip to the next free claim'],
  ['Esc', 'back to the queue (with its filters)'],
  ['?', 'show or hide this list'],
];

export const QUEUE_SHORTCUTS: Array<[string, string]> = [
  ['n', 'open the next free claim (not one you skipped)'],
  ['?', 'show or hide this list'],
];

/** The page's shortcut list, hidden until `?`; `Esc` closes it before it does anything else. */
export function shortcutsHelp(keys: Array<[string, string]>): HTMLElement {
  return h(
    'aside',
    { id: 'shortcuts', class: 'shortcuts', hidden: true, 'aria-label': 'Keyboard shortcuts' },
    h('h2', {}, 'Keyboard shortcuts'),
    h(
      'dl',
      {},
      keys.flatMap(([k, what]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)]),
    ),
    h('p', { class: 'hint' }, h('kbd', {}, 'Esc'), ' closes this list.'),
  );
}

export function toggleShortcuts(): void {
  document.getElementById('shortcuts')?.toggleAttribute('hidden');
}

/** Closes the shortcut list if it is open: true when it was, so the key does nothing more. */
export function closeShortcuts(): boolean {
  const help = document.getElementById('shortcuts');
  if (!help || help.hidden) return false;
  help.hidden = true;
  return true;
}
