import { h } from '../dom.js';

export function shortcutsHelp(): HTMLElement {
  const keys: Array<[string, string]> = [
    ['a', 'approve'],
    ['r', 'reject'],
    ['i', 'ask the customer'],
    ['e', 'edit the first field'],
    ['+ / −', 'zoom'],
    ['0', 'fit to width'],
    ['o', 'rotate'],
    ['[ / ]', 'previous / next page'],
    ['h', 'show or hide where the image may have been edited'],
    ['Esc', 'back to the queue'],
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
