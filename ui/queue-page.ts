import { api, ApiError } from './api.js';
import { announce, formatAge, h, typing } from './dom.js';
import { poll } from './poll.js';
import { claimHash, nextFreeClaim, queueFilters, queueHash, skippedClaims } from './queue-context.js';
import { mount, navigate, setTitle, state } from './shell.js';
import { closeShortcuts, QUEUE_SHORTCUTS, shortcutsHelp, toggleShortcuts } from './claim/shortcuts.js';
import type { QueueItem, QueueNews } from './types.js';

type QueuePage = { items: QueueItem[]; next: string | null; slaHours: number; asOf: string };

/** How often an open queue asks whether claims joined it. */
const NEWS_INTERVAL_MS = 30_000;

const clockTime = (date: Date) => date.toTimeString().slice(0, 8);

/** The queue of claims needing review, oldest first, with filters and keyset paging (the cursor lives in the URL). */
export async function renderQueue(params: URLSearchParams): Promise<void> {
  const facets = state.facets!;
  const filters = queueFilters(params);
  const query = new URLSearchParams(filters);
  const cursor = params.get('cursor');
  if (cursor) query.set('cursor', cursor);
  // A wrong filter in the address (typed or pasted) is named beside its field; the filters stay usable to fix it.
  const wrong = new Map<string, string>();
  let page = await api<QueuePage>('GET', `/queue?${query}`).catch((e: unknown) => {
    const issues = e instanceof ApiError && e.status === 400 ? e.issues.filter((i) => i.in === 'querystring') : [];
    if (issues.length === 0) throw e;
    for (const issue of issues) wrong.set(issue.path, `“${params.get(issue.path) ?? ''}” is not valid: ${issue.message}`);
    return null;
  });
  const invalid = (name: string) => (wrong.has(name) ? { 'aria-invalid': 'true', 'aria-describedby': `f-${name}-error` } : {});
  const problem = (name: string) => (wrong.has(name) ? h('p', { id: `f-${name}-error`, class: 'field-error' }, wrong.get(name)) : null);

  const select = (name: string, label: string, options: Array<[string, string]>) =>
    h(
      'div',
      { class: 'filter' },
      h('label', { for: `f-${name}` }, label),
      h(
        'select',
        { id: `f-${name}`, name, ...invalid(name) },
        h('option', { value: '' }, 'Any'),
        options.map(([value, text]) => h('option', { value, selected: params.get(name) === value }, text)),
      ),
      problem(name),
    );
  const date = (name: string, label: string) =>
    h(
      'div',
      { class: 'filter' },
      h('label', { for: `f-${name}` }, label),
      h('input', { id: `f-${name}`, name, type: 'date', value: params.get(name) ?? '', ...invalid(name) }),
      problem(name),
    );
  const filterForm = h(
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
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(filterForm)) if (typeof value === 'string' && value) next.set(name, value);
    navigate(`#/queue?${next}`);
  });

  // The list and its pager are redrawn in place on refresh, so the reviewer's scroll and focus stay put.
  const list = h('div', { class: 'queue-list' });
  const showList = () => {
    const skipped = skippedClaims();
    const items = page?.items ?? [];
    // A further page is not counted: "20+" says there are more than this page shows.
    setTitle(page ? `Queue (${items.length}${page.next ? '+' : ''})` : 'Queue');
    const rows = items.map((item) =>
      h(
        'tr',
        { class: item.overTarget ? 'late' : '' },
        h('td', {}, h('a', { href: claimHash(item.claimId, filters), class: 'claim-link' }, item.requestNumber)),
        h('td', {}, formatAge(item.ageHours), item.overTarget ? h('span', { class: 'badge late' }, ' over target') : null),
        h(
          'td',
          {},
          // The flag's title in words; its code stays at hand on hover, as reviewers and logs name it.
          item.flags.map((f) => h('span', { class: 'chip', title: f }, facets.flagTitles[f] ?? f)),
        ),
        h('td', {}, item.family ?? '–'),
        h('td', {}, item.retailer ?? '–'),
        h('td', {}, new Date(item.receivedAt).toISOString().slice(0, 16).replace('T', ' ')),
        h('td', {}, item.lease ? `In review by ${item.lease.username}` : skipped.has(item.claimId) ? 'Skipped by you' : ''),
      ),
    );
    const nextParams = new URLSearchParams(filters);
    if (page?.next) nextParams.set('cursor', page.next);
    const empty = page
      ? h('p', { class: 'empty' }, 'No claims need review with these filters.')
      : h(
          'p',
          { class: 'error', role: 'alert' },
          'The queue is not shown: a filter in the address is not valid (see above). Correct it and apply.',
        );
    list.replaceChildren(
      items.length === 0
        ? empty
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
                  ...['Request', 'Age', 'Flags', 'Family', 'Retailer', 'Received (UTC)', 'Reviewer'].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h('tbody', {}, rows),
            ),
          ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Queue pages' },
        cursor ? h('a', { href: queueHash(filters) }, '« First page') : null,
        page?.next ? h('a', { href: `#/queue?${nextParams}`, rel: 'next' }, 'Next page »') : null,
      ),
    );
  };
  showList();

  // News: how many claims joined the queue since it was read, announced politely; Refresh shows them.
  let since = page?.asOf ?? '';
  const news = h('span', { class: 'queue-news', role: 'status' });
  const updated = h('span', { class: 'updated' }, `Updated ${clockTime(new Date())}`);
  const refresh = async () => {
    page = await api<QueuePage>('GET', `/queue?${query}`);
    since = page.asOf;
    showList();
    news.textContent = '';
    updated.textContent = `Updated ${clockTime(new Date())}`;
  };
  const updates = h(
    'div',
    { class: 'queue-updates' },
    news,
    h(
      'button',
      { type: 'button', onclick: () => void refresh().catch((e: unknown) => announce(String(e instanceof Error ? e.message : e))) },
      'Refresh',
    ),
    updated,
  );
  // A queue that could not be read (a wrong filter) has nothing to compare news with.
  const stopNews = !page
    ? () => {}
    : poll(async () => {
        try {
          const answer = await api<QueueNews>('GET', `/queue/news?${new URLSearchParams([...filters, ['since', since]])}`);
          const text = answer.newClaims === 0 ? '' : `${answer.newClaims} new ${answer.newClaims === 1 ? 'claim' : 'claims'}`;
          // Set only on a change, so a screen reader hears each count once.
          if (news.textContent !== text) news.textContent = text;
        } catch (e) {
          updated.textContent = `Could not check for new claims at ${clockTime(new Date())}: ${e instanceof Error ? e.message : String(e)}`;
        }
      }, NEWS_INTERVAL_MS);
  state.leave = async () => stopNews();

  mount(
    h('h1', {}, 'Claims needing review'),
    h(
      'p',
      { class: 'hint' },
      `Oldest first. Target: decided within ${facets.slaHours} h of arrival. Shortcuts: n opens the next free claim (not one you skipped), ? lists all.`,
    ),
    filterForm,
    updates,
    list,
    shortcutsHelp(QUEUE_SHORTCUTS),
  );
  state.keys = (event) => {
    if (event.key === 'Escape' && closeShortcuts()) return;
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '?') toggleShortcuts();
    else if (event.key === 'n' && page) {
      event.preventDefault();
      void nextFreeClaim(filters, { cursor }).then((next) =>
        next ? navigate(claimHash(next, filters)) : announce('No free claim with these filters that you have not skipped.'),
      );
    }
  };
}
