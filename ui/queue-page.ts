import { api } from './api.js';
import { formatAge, h, typing } from './dom.js';
import { mount, navigate, setTitle, state } from './shell.js';
import { closeShortcuts, QUEUE_SHORTCUTS, shortcutsHelp, toggleShortcuts } from './claim/shortcuts.js';
import type { QueueItem } from './types.js';

const FILTERS = ['flag', 'family', 'retailer', 'from', 'to'] as const;

/** The queue of claims needing review, oldest first, with filters and keyset paging (the cursor lives in the URL). */
export async function renderQueue(params: URLSearchParams): Promise<void> {
  const facets = state.facets!;
  const query = new URLSearchParams();
  for (const name of [...FILTERS, 'cursor']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  const page = await api<{ items: QueueItem[]; next: string | null; slaHours: number }>('GET', `/queue?${query}`);

  const select = (name: string, label: string, options: Array<[string, string]>) =>
    h(
      'div',
      { class: 'filter' },
      h('label', { for: `f-${name}` }, label),
      h(
        'select',
        { id: `f-${name}`, name },
        h('option', { value: '' }, 'Any'),
        options.map(([value, text]) => h('option', { value, selected: params.get(name) === value }, text)),
      ),
    );
  const date = (name: string, label: string) =>
    h(
      'div',
      { class: 'filter' },
      h('label', { for: `f-${name}` }, label),
      h('input', { id: `f-${name}`, name, type: 'date', value: params.get(name) ?? '' }),
    );
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter the queue' },
    select(
      'flag',
      'Flag',
      facets.flags.map((f) => [f.code, f.title]),
    ),
    select(
      'family',
      'Product family',
      facets.families.map((f) => [f.id, f.label]),
    ),
    select(
      'retailer',
      'Retailer',
      facets.retailers.map((r) => [r, r]),
    ),
    date('from', 'Received from'),
    date('to', 'Received to'),
    h('button', { type: 'submit' }, 'Apply'),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(filters)) if (typeof value === 'string' && value) next.set(name, value);
    navigate(`#/queue?${next}`);
  });

  const rows = page.items.map((item) =>
    h(
      'tr',
      { class: item.overTarget ? 'late' : '' },
      h('td', {}, h('a', { href: `#/claims/${encodeURIComponent(item.claimId)}`, class: 'claim-link' }, item.requestNumber)),
      h('td', {}, formatAge(item.ageHours), item.overTarget ? h('span', { class: 'badge late' }, ' over target') : null),
      h(
        'td',
        {},
        item.flags.map((f) => h('span', { class: 'chip' }, f)),
      ),
      h('td', {}, item.family ?? '–'),
      h('td', {}, item.retailer ?? '–'),
      h('td', {}, new Date(item.receivedAt).toISOString().slice(0, 16).replace('T', ' ')),
      h('td', {}, item.lease ? `In review by ${item.lease.username}` : ''),
    ),
  );
  const nextParams = new URLSearchParams(query);
  if (page.next) nextParams.set('cursor', page.next);
  const firstParams = new URLSearchParams(query);
  firstParams.delete('cursor');

  mount(
    h('h1', {}, 'Claims needing review'),
    h(
      'p',
      { class: 'hint' },
      `Oldest first. Target: decided within ${page.slaHours} h of arrival. Shortcuts: n opens the next free claim, ? lists all.`,
    ),
    filters,
    page.items.length === 0
      ? h('p', { class: 'empty' }, 'No claims need review with these filters.')
      : h(
          // On a narrow screen the table scrolls sideways inside this region, not the whole page.
          'div',
          { class: 'table-scroll', role: 'region', 'aria-label': 'Claims needing review', tabindex: 0 },
          h(
            'table',
            { class: 'queue' },
            h('caption', { class: 'visually-hidden' }, 'Claims needing review'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Request', 'Age', 'Flags', 'Family', 'Retailer', 'Received (UTC)', 'Reviewer'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Queue pages' },
      query.has('cursor') ? h('a', { href: `#/queue?${firstParams}` }, '« First page') : null,
      page.next ? h('a', { href: `#/queue?${nextParams}`, rel: 'next' }, 'Next page »') : null,
    ),
    shortcutsHelp(QUEUE_SHORTCUTS),
  );
  // A further page is not counted: "20+" says there are more than this page shows.
  setTitle(`Queue (${page.items.length}${page.next ? '+' : ''})`);
  state.keys = (event) => {
    if (event.key === 'Escape' && closeShortcuts()) return;
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '?') toggleShortcuts();
    else if (event.key === 'n') {
      const free = page.items.find((i) => !i.lease || i.lease.username === state.session?.user.username);
      if (free) navigate(`#/claims/${encodeURIComponent(free.claimId)}`);
    }
  };
}
