import { api } from '../api.js';
import { h } from '../dom.js';
import { poll } from '../poll.js';
import type { ClaimState } from '../types.js';
import { STATUS_LABELS } from './labels.js';

/** How often a read-only claim asks whether the reviewer holding it decided it or let it go. */
const WATCH_INTERVAL_MS = 10_000;

/** A reviewer's decision told after the fact, by the status it left the claim in. */
const DECIDED_AS: Record<string, string> = {
  eligible: 'approved this claim',
  not_eligible: 'rejected this claim',
  awaiting_customer: 'asked the customer for more on this claim',
};

function decidedNotice(now: ClaimState): string {
  const done = DECIDED_AS[now.status];
  return now.decidedBy && done
    ? `${now.decidedBy} ${done}.`
    : `This claim was decided meanwhile: ${STATUS_LABELS[now.status] ?? now.status}.`;
}

/**
 * A claim another reviewer holds, followed while it is on screen: when they decide, `onDecided`
 * gets what they did (the page shows the decided claim); when they let it go undecided, or their
 * reservation runs out, the banner says so and offers to take it. Returns the stop (state.leave).
 */
export function watchHeldClaim(
  path: string,
  holder: string,
  banner: HTMLElement,
  handlers: { onDecided: (notice: string) => void; take: () => void },
): () => void {
  let shownHolder: string | null = holder;
  return poll(async () => {
    let now: ClaimState;
    try {
      now = await api<ClaimState>('GET', `${path}/state`);
    } catch (e) {
      banner.replaceChildren(`Could not check whether this claim changed: ${e instanceof Error ? e.message : String(e)}`);
      shownHolder = '';
      return;
    }
    if (now.status !== 'needs_review') return handlers.onDecided(decidedNotice(now));
    const current = now.lease && !now.lease.mine ? now.lease.username : null;
    if (current === shownHolder) return;
    banner.replaceChildren(
      ...(current
        ? [`${current} is reviewing this claim. You can look, but not decide.`]
        : [
            `${holder} is no longer reviewing this claim and did not decide it. `,
            h('button', { type: 'button', class: 'primary', onclick: handlers.take }, 'Take this claim'),
          ]),
    );
    shownHolder = current;
  }, WATCH_INTERVAL_MS);
}
