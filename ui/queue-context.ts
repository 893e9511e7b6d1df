import { api } from './api.js';
import { state } from './shell.js';
import type { QueueItem } from './types.js';

/**
 * The reviewer's place in the queue, kept across pages: the queue's filters travel in the claim
 * page's URL (#/claims/ID?flag=…), so Esc, the back link, skipping and the claim opened after a
 * decision stay inside them; the claims skipped in this tab are remembered in sessionStorage.
 */
export const FILTERS = ['flag', 'family', 'retailer', 'from', 'to'] as const;

/** Only the filters of a URL's parameters (not its page cursor), empty ones left out. */
export function queueFilters(params: URLSearchParams): URLSearchParams {
  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters.set(name, value);
  }
  return filters;
}

const withQuery = (path: string, params: URLSearchParams) => (params.size > 0 ? `${path}?${params}` : path);
export const queueHash = (filters: URLSearchParams) => withQuery('#/queue', filters);
export const claimHash = (claimId: string, filters: URLSearchParams) => withQuery(`#/claims/${encodeURIComponent(claimId)}`, filters);

const SKIPPED_KEY = 'workbench.skipped';

export function skippedClaims(): Set<string> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(SKIPPED_KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function rememberSkipped(claimId: string): void {
  sessionStorage.setItem(SKIPPED_KEY, JSON.stringify([...skippedClaims().add(claimId)]));
}

/** How far the next-claim lookup reads before giving up: 10 pages of 50 claims all held or skipped. */
const LOOKUP_PAGES = 10;

/**
 * The first claim in the filtered queue's order, from its start, from a page's cursor or after a
 * claim, that nobody else holds and that was not skipped in this tab; null when there is none.
 */
export async function nextFreeClaim(
  filters: URLSearchParams,
  start: { after?: string; cursor?: string | null } = {},
): Promise<string | null> {
  const skipped = skippedClaims();
  const query = new URLSearchParams(filters);
  query.set('limit', '50');
  if (start.after) query.set('after', start.after);
  else if (start.cursor) query.set('cursor', start.cursor);
  for (let read = 0; read < LOOKUP_PAGES; read++) {
    const page = await api<{ items: QueueItem[]; next: string | null }>('GET', `/queue?${query}`);
    const free = page.items.find(
      (item) => !skipped.has(item.claimId) && (!item.lease || item.lease.username === state.session?.user.username),
    );
    if (free) return free.claimId;
    if (!page.next) return null;
    query.delete('after');
    query.set('cursor', page.next);
  }
  return null;
}
