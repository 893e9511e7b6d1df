import { api, ApiError } from './api.js';
import { announce, formatAge, h, typing } from './dom.js';
import { mount, navigate, setTitle, state } from './shell.js';
import type { Assessment, ClaimDetail, Preview, QueueItem } from './types.js';
import { decisionDialog } from './claim/decision-dialog.js';
import { fieldsTable } from './claim/fields.js';
import { renderFlag } from './claim/flags.js';
import { decidedBanner, renderHistory } from './claim/history.js';
import { ACTION_LABELS, STATUS_LABELS } from './claim/labels.js';
import { CLAIM_SHORTCUTS, closeShortcuts, shortcutsHelp, toggleShortcuts } from './claim/shortcuts.js';
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
    // A decided claim says so in its own banner, in words rather than the server's status code.
    if (e.code !== 'NOT_REVIEWABLE') leaseProblem = e.message;
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
    ...claim.heat.map((cell, i) => ({
      id: `heat-${i}`,
      label: `edit traces ${cell.level}× the page's level`,
      page: cell.page,
      box: cell.box,
      kind: 'heat' as const,
      level: cell.level,
    })),
  ];
  const viewer = new ReceiptViewer(claim.pages, marks, `Receipt of claim ${claim.requestNumber}`);
  const heatToggle =
    claim.heat.length === 0
      ? null
      : h(
          'label',
          { class: 'heat-toggle' },
          h('input', {
            type: 'checkbox',
            id: 'show-heat',
            onchange: (event: Event) => viewer.showHeat((event.target as HTMLInputElement).checked),
          }),
          ` Show where the image may have been edited (${claim.heat.length} ${claim.heat.length === 1 ? 'area' : 'areas'} stand out from the rest of the page)`,
        );

  const fields = fieldsTable(claim, editable, viewer, () => schedulePreview());
  const { corrections } = fields;

  const decisionBox = h('div', { class: 'decision', 'aria-live': 'polite' });
  const flagsBox = h('section', { class: 'flags', 'aria-label': 'Flags' });
  const renderAssessment = (assessment: Assessment, corrected: boolean) => {
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
      if (Object.keys(fixes).length === 0) {
        fields.showAgreement(null);
        return renderAssessment(claim.assessment, false);
      }
      try {
        const preview = await api<Preview>('POST', `${path}/assess`, { corrections: fixes });
        if (seq !== previewSeq) return;
        renderAssessment(preview, true);
        fields.showAgreement(preview.disagreements);
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
      ? decidedBanner(claim)
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
      h(
        'div',
        { class: 'receipt-column' },
        claim.refusal ? refusalNotice(claim) : null,
        // A refused receipt with nothing to show is explained by the notice alone, not called missing.
        claim.refusal && claim.pages.length === 0 ? null : viewer.element,
        heatToggle,
      ),
      h('div', { class: 'panel' }, fields.element, decisionBox, actions, flagsBox, renderHistory(claim)),
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
      else navigate('#/queue');
      return;
    }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey || dialog.isOpen()) return;
    if (viewer.handleKey(event)) return event.preventDefault();
    const key = event.key.toLowerCase();
    if (editable && key === 'a') dialog.open('approve');
    else if (editable && key === 'r') dialog.open('reject');
    else if (editable && key === 'i') dialog.open('request_info');
    else if (key === 'e') fields.editFirst();
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

/** After a decision: the next claim nobody else holds, else the queue. */
async function openNext(current: string): Promise<void> {
  const page = await api<{ items: QueueItem[] }>('GET', '/queue?limit=20');
  const next = page.items.find((i) => i.claimId !== current && (!i.lease || i.lease.username === state.session?.user.username));
  navigate(next ? `#/claims/${encodeURIComponent(next.claimId)}` : '#/queue');
}
