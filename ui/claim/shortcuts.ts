import { h } from '../dom.js';

export function shortcutsHelp(): HTMLElement {
  const keys: Array<[string, string]> = [
    ['a', 'approve'],
    ['r', 'reject'],
    ['i', 'ask the customer'],
    ['u', 'undo your last decision (for a few seconds after it)'],
    ['e', 'edit the first field'],
    ['+ / −', 'zoom'],
    ['0', 'fit to width'],
    ['o', 'rotate'],
    ['[ / ]', 'previous / next page'],
    ['s', 'skip to the next free claim'],
    ['Esc', 'back to the queue (with its filters)'],
    ['?', 'show or hide this list'],
  ];
  return h(
    'aside',
    { id: 'shortcuts', class: 'shortcuts', hidden: true, 'aria-label': 'Keyboard shortcuts' },
    h('h2', {}, 'Keyboard shortcuts'),
    h(
      'dl',
      {},
      keys.flatMap(([k, what]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)]),
    ),
  );
}
