import { api, ApiError } from './api.js';
import { announce, formatAge, h, typing } from './dom.js';
import { mount, navigate, setBusy, setTitle, state } from './shell.js';
import type { Assessment, ClaimDetail, Decided, Preview } from './types.js';
import { decisionDialog, type DecisionContext } from './claim/decision-dialog.js';
import { fieldsTable } from './claim/fields.js';
import { groupFlags, renderFlagGroup } from './claim/flags.js';
import { renderCustomerRequest } from './claim/customer-request.js';
import { decidedBanner, renderHistory } from './claim/history.js';
import { ACTION_LABELS, STATUS_LABELS } from './claim/labels.js';
import { CLAIM_SHORTCUTS, closeShortcuts, shortcutsHelp, toggleShortcuts } from './claim/shortcuts.js';
import { offerUndo } from './claim/undo-toast.js';
import { watchHeldClaim } from './claim/claim-watch.js';
import { claimHash, nextFreeClaim, queueFilters, queueHash, rememberSkipped } from './queue-context.js';
import { ReceiptViewer, type Mark } from './viewer.js';

/** What happened to a claim while it was on screen, told once when it is shown again (by claim id). */
const notices = new Map<string, string>();

/**
 * One claim: the receipt with highlights, form against receipt, the flags with their evidence, the
 * decision. `params` carries the queue's filters, kept for Esc, the back link, skip and the next claim.
 */
export async function renderClaim(claimId: string, params: URLSearchParams): Promise<void> {
  const path = `/claims/${encodeURIComponent(claimId)}`;
  const filters = queueFilters(params);
  const notice = notices.get(claimId);
  notices.delete(claimId);
  // Take the lease first: the claim shown is then the one this reviewer holds, or read-only.
  let leaseProblem: string | null = null;
  let lease: { expiresAt: string } | null = null;
  try {
    lease = await api<{ expiresAt: string }>('POST', `${path}/lease`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 409) throw e;
    // A decided claim says so in its own banner, in words rather than the server's status code.
    if (e.code !== 'NOT_REVIEWABLE') leaseProblem = e.message;
  }
  const claim = await api<ClaimDetail>('GET', path);
  let editable = lease !== null;
  let decided = false;

  const marks: Mark[] = [
    ...claim.fields
      .filter((f) => f.highlight)
      .map((f) => ({ id: `field-${f.name}`, label: f.name, page: f.highlight!.page, box: f.highlight!.box, kind: 'field' as const })),
    ...claim.assessment.flags
      // Numbered by the flag's place in the whole list, as its "Show on the receipt" button names it.
      .flatMap((f, i) =>
        f.highlight ? [{ id: `flag-${i}`, label: f.title, page: f.highlight.page, box: f.highlight.box, kind: 'evidence' as const }] : [],
      ),
    // Numbered strongest first, as the legend lists them.
    ...claim.heat.map((region, i) => ({
      id: `heat-${i}`,
      label: String(i + 1),
      page: region.page,
      box: region.box,
      kind: 'heat' as const,
      level: region.level,
      cells: region.cells,
    })),
  ];
  const viewer = new ReceiptViewer(claim.pages, marks, `Receipt of claim ${claim.requestNumber}`);
  const fields = fieldsTable(claim, editable, viewer, () => schedulePreview());
  const { corrections, showIssues } = fields;

  const decisionBox = h('div', { class: 'decision', 'aria-live': 'polite' });
  const flagsBox = h('section', { class: 'flags', 'aria-label': 'Flags' });
  // The assessment on screen: the machine's, or the live re-assessment with the reviewer's corrections.
  let current = claim.assessment;
  const renderAssessment = (assessment: Assessment, corrected: boolean) => {
    current = assessment;
    decisionBox.replaceChildren(
      h(
        'span',
        {},
        corrected ? 'Decision with your corrections: ' : claim.decidedBy ? `Decision of ${claim.decidedBy}: ` : 'Machine decision: ',
      ),
      h('strong', { class: `status ${assessment.status}` }, STATUS_LABELS[assessment.status] ?? assessment.status),
      h(
        'span',
        { class: 'warranty' },
        assessment.warranty
          ? ` · ${assessment.warranty.family}, ${assessment.warranty.months} months${assessment.warranty.expires ? `, until ${assessment.warranty.expires}` : ''}`
          : '',
      ),
    );
    const groups = groupFlags(assessment.flags);
    flagsBox.replaceChildren(
      h('h2', {}, `Flags (${groups.length})`),
      groups.length === 0
        ? h('p', {}, 'No flags.')
        : h(
            'ul',
            {},
            groups.map((g) => renderFlagGroup(g, claim, viewer)),
          ),
    );
    dialog.refresh();
  };
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSeq = 0;
  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(async () => {
      const seq = ++previewSeq;
      const fixes = corrections();
      if (Object.keys(fixes).length === 0) {
        showIssues([]);
        fields.showAgreement(null);
        return renderAssessment(claim.assessment, false);
      }
      try {
        const preview = await api<Preview>('POST', `${path}/assess`, { corrections: fixes });
        if (seq !== previewSeq) return;
        showIssues([]);
        renderAssessment(preview, true);
        fields.showAgreement(preview.disagreements);
      } catch (e) {
        if (seq !== previewSeq) return;
        const message = e instanceof ApiError && showIssues(e.issues) ? 'Not re-assessed: correct the marked field.' : null;
        decisionBox.replaceChildren(h('span', { class: 'error', role: 'alert' }, message ?? (e instanceof Error ? e.message : String(e))));
      }
    }, 250);
  };

  // --- Actions ----------------------------------------------------------------------------------
  const decide = async (body: Record<string, unknown>) => {
    // Busy from here until the next claim is on screen: nothing acts on this page meanwhile.
    setBusy('Saving…');
    try {
      const decision = await api<Decided>('POST', `${path}/decision`, { ...body, corrections: corrections() });
      decided = true;
      offerUndo(
        claimId,
        claim.requestNumber,
        ACTION_LABELS[String(body.action)] ?? String(body.action),
        decision.undoSeconds,
        claimHash(claimId, filters),
      );
      await openNext(filters);
    } catch (e) {
      setBusy(null);
      if (e instanceof ApiError && showIssues(e.issues)) throw new Error('Not saved: correct the marked field.', { cause: e });
      throw e;
    }
  };
  // Skip: on to the next free claim after this one in the filtered queue (from its start when none
  // follows), and left out of `n` for the rest of this tab's session; leaving gives the lease back.
  const skip = async () => {
    rememberSkipped(claimId);
    const next = (await nextFreeClaim(filters, { after: claimId })) ?? (await nextFreeClaim(filters));
    if (!next) announce('No other free claim with these filters that you have not skipped.');
    navigate(next ? claimHash(next, filters) : queueHash(filters));
  };
  const decisionContext = (): DecisionContext => ({
    corrections: Object.entries(corrections()).map(([field, yours]) => ({
      field,
      machine: claim.fields.find((f) => f.name === field)?.receipt.value ?? null,
      yours,
    })),
    flags: current.flags,
  });
  const dialog = decisionDialog(decide, decisionContext);
  renderAssessment(claim.assessment, false);
  const actionButtons = () => [
    h('button', { type: 'button', class: 'primary', disabled: !editable, onclick: () => dialog.open('approve') }, 'Approve (a)'),
    h('button', { type: 'button', class: 'danger', disabled: !editable, onclick: () => dialog.open('reject') }, 'Reject (r)'),
    h('button', { type: 'button', disabled: !editable, onclick: () => dialog.open('request_info') }, 'Ask customer (i)'),
  ];
  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Decide' }, actionButtons());

  // --- Lease upkeep -----------------------------------------------------------------------------
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const renew = (expiresAt: string) => {
    clearTimeout(renewTimer);
    const wait = Math.max(5_000, (Date.parse(expiresAt) - Date.now()) / 2);
    renewTimer = setTimeout(async () => {
      try {
        renew((await api<{ expiresAt: string }>('POST', `${path}/lease`)).expiresAt);
      } catch (e) {
        announce(`Your reservation could not be renewed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, wait);
  };
  if (lease) renew(lease.expiresAt);
  const reopen = () => navigate(claimHash(claimId, filters));
  const banner = notice
    ? h('p', { class: 'banner', role: 'status' }, notice)
    : leaseProblem
      ? h('p', { class: 'banner', role: 'alert' }, `${leaseProblem} You can look, but not decide.`)
      : claim.status !== 'needs_review'
        ? decidedBanner(claim)
        : h('p', { class: 'banner', role: 'alert', hidden: true });
  // Read-only because another reviewer holds it: follow it, so the page never shows a stale claim as open.
  const stopWatching =
    banner && leaseProblem && claim.status === 'needs_review' && claim.lease && !claim.lease.mine
      ? watchHeldClaim(path, claim.lease.username, banner, {
          onDecided: (what) => {
            notices.set(claimId, what);
            reopen();
          },
          take: reopen,
        })
      : null;
  if (notice) announce(notice);
  state.leave = async () => {
    stopWatching?.();
    clearTimeout(renewTimer);
    clearTimeout(previewTimer);
    if (lease && !decided) await api('DELETE', `${path}/lease`, undefined, { keepalive: true, signInAgain: false }).catch(() => undefined);
  };

  // Signed in again after the session ended: the claim is taken again, unless someone took it meanwhile.
  state.afterSignIn = async () => {
    if (!lease) return;
    try {
      lease = await api<{ expiresAt: string }>('POST', `${path}/lease`, undefined, { signInAgain: false });
      renew(lease.expiresAt);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) throw e;
      lease = null;
      editable = false;
      clearTimeout(renewTimer);
      banner.textContent = `${e.message} Your corrections are kept below, but you can no longer decide this claim.`;
      banner.hidden = false;
      actions.replaceChildren(...actionButtons());
    }
  };

  mount(
    h(
      'div',
      { class: 'claim-head' },
      h('h1', {}, `Claim ${claim.requestNumber}`),
      h(
        'span',
        { class: claim.overTarget ? 'badge late' : 'badge' },
        `waiting ${formatAge(claim.ageHours)}${claim.overTarget ? ' – over target' : ''}`,
      ),
      h('a', { href: queueHash(filters), class: 'back' }, 'Back to queue (Esc)'),
      h('button', { type: 'button', class: 'skip-claim', onclick: () => void skip() }, 'Skip to the next claim (s)'),
    ),
    banner,
    h(
      'div',
      { class: 'claim' },
      h(
        'div',
        { class: 'receipt-column' },
        claim.refusal ? refusalNotice(claim) : null,
        // A refused receipt with nothing to show is explained by the notice alone, not called missing.
        claim.refusal && claim.pages.length === 0 ? null : viewer.element,
      ),
      h('div', { class: 'panel' }, fields.element, decisionBox, actions, renderCustomerRequest(claim), flagsBox, renderHistory(claim)),
    ),
    dialog.element,
    shortcutsHelp(CLAIM_SHORTCUTS),
  );
  setTitle(`Claim ${claim.requestNumber}`);
  // The claim page is usable once the receipt is on screen: marked for the benchmark and the tests.
  void viewer.ready.then(() => document.body.setAttribute('data-claim-ready', claim.claimId));

  state.keys = (event) => {
    if (event.key === 'Escape' && closeShortcuts()) return;
    if (event.key === 'Escape' && !dialog.isOpen()) {
      if (typing(event)) (event.target as HTMLElement).blur();
      else navigate(queueHash(filters));
      return;
    }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey || dialog.isOpen()) return;
    if (viewer.handleKey(event)) return event.preventDefault();
    const key = event.key.toLowerCase();
    if (editable && key === 'a') dialog.open('approve');
    else if (editable && key === 'r') dialog.open('reject');
    else if (editable && key === 'i') dialog.open('request_info');
    else if (key === 'e') fields.editFirst();
    else if (key === 's') void skip();
    else if (key === '?') toggleShortcuts();
    else return;
    event.preventDefault();
  };
}

/** Why the receipt was refused at intake, in the intake's words; the photo as sent is shown below when it was stored. */
function refusalNotice(claim: ClaimDetail): HTMLElement {
  return h(
    'p',
    { class: 'banner refusal' },
    `The receipt could not be read: ${claim.refusal}`,
    claim.pages.length > 0 ? ' Below is the receipt as the customer sent it.' : '',
  );
}

/** After a decision: the next claim in the same filtered queue that nobody else holds and was not skipped, else that queue. */
async function openNext(filters: URLSearchParams): Promise<void> {
  const next = await nextFreeClaim(filters);
  navigate(next ? claimHash(next, filters) : queueHash(filters));
}
