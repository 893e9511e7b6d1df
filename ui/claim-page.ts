import { api, ApiError } from './api.js';
import { announce, formatAge, h, typing } from './dom.js';
import { mount, navigate, state } from './shell.js';
import type { Assessment, ClaimDetail, QueueItem } from './types.js';
import { decisionDialog } from './claim/decision-dialog.js';
import { fieldsTable } from './claim/fields.js';
import { renderFlag } from './claim/flags.js';
import { renderHistory } from './claim/history.js';
import { ACTION_LABELS, STATUS_LABELS } from './claim/labels.js';
import { shortcutsHelp } from './claim/shortcuts.js';
import { ReceiptViewer, type Mark } from './viewer.js';

/** One claim: the receipt with highlights, form against receipt, the flags with their evidence, the decision. */
export async function renderClaim(claimId: string): Promise<void> {
  const path = `/claims/${encodeURIComponent(claimId)}`;
  // Take the lease first: the claim shown is then the one this reviewer holds, or read-only.
  let leaseProblem: string | null = null;
  let lease: { expiresAt: string } | null = null;
  try {
    lease = await api<{ expiresAt: string }>('POST', `${path}/lease`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 409) throw e;
    leaseProblem = e.message;
  }
  const claim = await api<ClaimDetail>('GET', path);
  const editable = lease !== null;
  let decided = false;

  const marks: Mark[] = [
    ...claim.fields
      .filter((f) => f.highlight)
      .map((f) => ({ id: `field-${f.name}`, label: f.name, page: f.highlight!.page, box: f.highlight!.box, kind: 'field' as const })),
    ...claim.assessment.flags
      .filter((f) => f.highlight)
      .map((f, i) => ({ id: `flag-${i}`, label: f.title, page: f.highlight!.page, box: f.highlight!.box, kind: 'evidence' as const })),
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
  const { inputs, corrections } = fields;

  const decisionBox = h('div', { class: 'decision', 'aria-live': 'polite' });
  const flagsBox = h('section', { class: 'flags', 'aria-label': 'Flags' });
  const renderAssessment = (assessment: Assessment, corrected: boolean) => {
    decisionBox.replaceChildren(
      h('span', {}, corrected ? 'Decision with your corrections: ' : 'Machine decision: '),
      h('strong', { class: `status ${assessment.status}` }, STATUS_LABELS[assessment.status] ?? assessment.status),
      h(
        'span',
        { class: 'warranty' },
        assessment.warranty
          ? ` · ${assessment.warranty.family}, ${assessment.warranty.months} months${assessment.warranty.expires ? `, until ${assessment.warranty.expires}` : ''}`
          : '',
      ),
    );
    flagsBox.replaceChildren(
      h('h2', {}, `Flags (${assessment.flags.length})`),
      assessment.flags.length === 0
        ? h('p', {}, 'No flags.')
        : h(
            'ul',
            {},
            assessment.flags.map((f, i) => renderFlag(f, i, claim, viewer)),
          ),
    );
  };
  renderAssessment(claim.assessment, false);
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSeq = 0;
  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(async () => {
      const seq = ++previewSeq;
      const fixes = corrections();
      if (Object.keys(fixes).length === 0) return renderAssessment(claim.assessment, false);
      try {
        const preview = await api<Assessment>('POST', `${path}/assess`, { corrections: fixes });
        if (seq === previewSeq) renderAssessment(preview, true);
      } catch (e) {
        if (seq === previewSeq)
          decisionBox.replaceChildren(h('span', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
      }
    }, 250);
  };

  // --- Actions ----------------------------------------------------------------------------------
  const decide = async (body: Record<string, unknown>) => {
    await api('POST', `${path}/decision`, { ...body, corrections: corrections() });
    decided = true;
    announce(`Claim ${claim.requestNumber} ${ACTION_LABELS[String(body.action)]}.`);
    await openNext(claimId);
  };
  const dialog = decisionDialog(decide);
  const actions = h(
    'div',
    { class: 'actions', role: 'group', 'aria-label': 'Decide' },
    h('button', { type: 'button', class: 'primary', disabled: !editable, onclick: () => dialog.open('approve') }, 'Approve (a)'),
    h('button', { type: 'button', class: 'danger', disabled: !editable, onclick: () => dialog.open('reject') }, 'Reject (r)'),
    h('button', { type: 'button', disabled: !editable, onclick: () => dialog.open('request_info') }, 'Ask customer (i)'),
  );

  // --- Lease upkeep -----------------------------------------------------------------------------
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const renew = (expiresAt: string) => {
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
  state.leave = () => {
    clearTimeout(renewTimer);
    clearTimeout(previewTimer);
    if (lease && !decided) void api('DELETE', `${path}/lease`, undefined, { keepalive: true }).catch(() => undefined);
  };

  const banner = leaseProblem
    ? h('p', { class: 'banner', role: 'alert' }, `${leaseProblem} You can look, but not decide.`)
    : claim.status !== 'needs_review'
      ? h(
          'p',
          { class: 'banner' },
          `${STATUS_LABELS[claim.status] ?? claim.status}${claim.decidedBy ? `, decided by ${claim.decidedBy}` : ''}.`,
        )
      : null;

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
      h('a', { href: '#/queue', class: 'back' }, 'Back to queue (Esc)'),
    ),
    banner ?? h('div', { hidden: true }),
    h(
      'div',
      { class: 'claim' },
      h('div', { class: 'receipt-column' }, viewer.element),
      h('div', { class: 'panel' }, fields.element, decisionBox, actions, flagsBox, renderHistory(claim)),
    ),
    dialog.element,
    shortcutsHelp(),
  );
  // The claim page is usable once the receipt is on screen: marked for the benchmark and the tests.
  void viewer.ready.then(() => document.body.setAttribute('data-claim-ready', claim.claimId));

  state.keys = (event) => {
    if (event.key === 'Escape' && !dialog.isOpen()) {
      if (typing(event)) (event.target as HTMLElement).blur();
      else navigate('#/queue');
      return;
    }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey || dialog.isOpen()) return;
    if (viewer.handleKey(event)) return event.preventDefault();
    const key = event.key.toLowerCase();
    if (editable && key === 'a') dialog.open('approve');
    else if (editable && key === 'r') dialog.open('reject');
    else if (editable && key === 'i') dialog.open('request_info');
    else if (key === 'e') inputs.values().next().value?.focus();
    else if (key === '?') document.getElementById('shortcuts')?.toggleAttribute('hidden');
    else return;
    event.preventDefault();
  };
}

/** After a decision: the next claim nobody else holds, else the queue. */
async function openNext(current: string): Promise<void> {
  const page = await api<{ items: QueueItem[] }>('GET', '/queue?limit=20');
  const next = page.items.find((i) => i.claimId !== current && (!i.lease || i.lease.username === state.session?.user.username));
  navigate(next ? `#/claims/${encodeURIComponent(next.claimId)}` : '#/queue');
}
