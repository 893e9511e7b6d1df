import { api, ApiError } from './api.js';
import { announce, FIELD_LABELS, formatAge, h, typing } from './dom.js';
import { mount, navigate, state } from './shell.js';
import type { Assessment, ClaimDetail, FlagView, HistoryData, QueueItem } from './types.js';
import { ReceiptViewer, type Mark } from './viewer.js';

const STATUS_LABELS: Record<string, string> = {
  eligible: 'Eligible',
  not_eligible: 'Not eligible',
  needs_review: 'Needs review',
  rejected_input: 'Rejected at intake',
  awaiting_customer: 'Waiting for the customer',
};
const ACTION_LABELS: Record<string, string> = { approve: 'approved', reject: 'rejected', request_info: 'asked the customer for more' };

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

  // --- Fields: form beside receipt, with the reviewer's reading -----------------------------------
  const inputs = new Map<string, HTMLInputElement>();
  const fieldRows = claim.fields.map((f) => {
    const input = h('input', {
      id: `fix-${f.name}`,
      name: f.name,
      value: f.receipt.value ?? '',
      disabled: !editable,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': `read-${f.name}`,
      placeholder: f.name === 'purchaseDate' ? 'YYYY-MM-DD' : 'not on the receipt',
    });
    inputs.set(f.name, input);
    input.addEventListener('input', () => schedulePreview());
    input.addEventListener('focus', () => viewer.focusMark(`field-${f.name}`));
    const confidence = f.receipt.value === null ? '' : `${Math.round(f.receipt.confidence * 100)}%`;
    return h(
      'tr',
      { class: f.disagrees ? 'disagree' : '' },
      h('th', { scope: 'row' }, h('label', { for: `fix-${f.name}` }, FIELD_LABELS[f.name] ?? f.name)),
      h('td', {}, f.form ?? '–'),
      h(
        'td',
        { id: `read-${f.name}` },
        f.receipt.value ?? h('em', {}, 'not found'),
        confidence ? h('span', { class: 'confidence' }, ` ${confidence}`) : null,
        f.disagrees ? h('span', { class: 'badge disagree' }, ' ≠ differs from form') : null,
        f.highlight
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () => viewer.focusMark(`field-${f.name}`),
                'aria-label': `Show where ${FIELD_LABELS[f.name]} was read`,
              },
              ' show',
            )
          : null,
      ),
      h('td', {}, input),
    );
  });
  const fieldsTable = h(
    'table',
    { class: 'fields' },
    h('caption', {}, 'Form and receipt'),
    h(
      'thead',
      {},
      h('tr', {}, ...['Field', 'Form (customer)', 'Receipt (machine read)', 'Your reading'].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h('tbody', {}, fieldRows),
  );

  const corrections = (): Record<string, string | null> => {
    const out: Record<string, string | null> = {};
    for (const f of claim.fields) {
      const typed = inputs.get(f.name)!.value.trim();
      if (typed !== (f.receipt.value ?? '')) out[f.name] = typed === '' ? null : typed;
    }
    return out;
  };

  // --- Decision and flags (re-assessed as the reviewer corrects) --------------------------------
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
      h('div', { class: 'receipt-column' }, viewer.element, heatToggle),
      h('div', { class: 'panel' }, fieldsTable, decisionBox, actions, flagsBox, renderHistory(claim)),
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

function renderFlag(flag: FlagView, index: number, claim: ClaimDetail, viewer: ReceiptViewer): HTMLElement {
  return h(
    'li',
    { class: `flag ${flag.severity}` },
    h('h3', {}, flag.title, h('span', { class: 'code' }, ` ${flag.code}`)),
    h('p', {}, flag.message),
    flag.details.map((d) => h('p', { class: 'detail' }, d)),
    flag.imei ? imeiDigits(flag.imei) : null,
    flag.highlight
      ? h('button', { type: 'button', class: 'link', onclick: () => viewer.focusMark(`flag-${index}`) }, 'Show on the receipt')
      : null,
    flag.earlierClaim ? sideBySide(claim, flag.earlierClaim) : null,
  );
}

/** The IMEI digit by digit, the failing check digit marked (not by colour alone). */
function imeiDigits(imei: NonNullable<FlagView['imei']>): HTMLElement {
  const digits = [...imei.digits];
  return h(
    'p',
    { class: 'imei', 'aria-label': `IMEI ${imei.digits}: check digit ${imei.checkDigit}, expected ${imei.expectedCheckDigit}` },
    digits.map((d, i) => h('span', { class: i === digits.length - 1 ? 'digit bad' : 'digit' }, d)),
    h('span', { class: 'expected' }, ` ← should be ${imei.expectedCheckDigit}`),
  );
}

function sideBySide(claim: ClaimDetail, earlier: NonNullable<FlagView['earlierClaim']>): HTMLElement {
  const figure = (title: string, url: string | undefined) =>
    h(
      'figure',
      {},
      url ? h('img', { src: url, alt: `Receipt of ${title}`, loading: 'lazy' }) : h('p', {}, 'No receipt'),
      h('figcaption', {}, title),
    );
  return h(
    'div',
    { class: 'side-by-side' },
    figure(`this claim (${claim.requestNumber})`, claim.pages[0]?.url),
    figure(`earlier claim ${earlier.requestNumber}`, earlier.pages[0]?.url),
  );
}

const label = (labels: Record<string, string>, code: string | undefined) => (code === undefined ? '–' : (labels[code] ?? code));

function renderHistory(claim: ClaimDetail): HTMLElement {
  // The API leaves an event's data free-form: read as what each kind carries.
  const describe = (kind: string, data: unknown): string => {
    const d = data as HistoryData | null;
    switch (kind) {
      case 'received':
        return `Received${d?.file ? ` (${d.file})` : ''}`;
      case 'stage':
        return `Processed: ${d?.from ?? '–'} → ${d?.to ?? '–'}`;
      case 'decided':
        return `Machine decision: ${label(STATUS_LABELS, d?.to)}${d?.flags?.length ? ` · ${d.flags.join(', ')}` : ''}`;
      case 'reviewed': {
        const fixes = (d?.corrections ?? []).map((c) => `${FIELD_LABELS[c.field] ?? c.field}: ${c.before ?? '–'} → ${c.after ?? '–'}`);
        return `${d?.reviewer ?? 'A reviewer'} ${label(ACTION_LABELS, d?.action)}${d?.reason ? ` (${d.reason})` : ''}${fixes.length ? ` · corrected ${fixes.join('; ')}` : ''}${d?.note ? ` · “${d.note}”` : ''}`;
      }
      default:
        return kind;
    }
  };
  return h(
    'section',
    { class: 'history', 'aria-label': 'History' },
    h('h2', {}, 'History'),
    h(
      'ol',
      {},
      claim.history.map((e) =>
        h('li', {}, h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')), ' ', describe(e.kind, e.data)),
      ),
    ),
  );
}

function shortcutsHelp(): HTMLElement {
  const keys: Array<[string, string]> = [
    ['a', 'approve'],
    ['r', 'reject'],
    ['i', 'ask the customer'],
    ['e', 'edit the first field'],
    ['+ / −', 'zoom'],
    ['0', 'fit to width'],
    ['o', 'rotate'],
    ['[ / ]', 'previous / next page'],
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

/** The confirmation dialog: the reason list for a rejection or a request, an optional note, Enter confirms. */
function decisionDialog(decide: (body: Record<string, unknown>) => Promise<void>) {
  const facets = state.facets!;
  const title = h('h2', { id: 'decide-title' });
  const reasonLabel = h('label', { for: 'decide-reason' }, 'Reason');
  const reason = h('select', { id: 'decide-reason', name: 'reason', required: true });
  const note = h('textarea', { id: 'decide-note', name: 'note', rows: 2, maxlength: 2000 });
  const error = h('p', { class: 'error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm');
  const form = h(
    'form',
    { method: 'dialog' },
    title,
    h('div', { class: 'reason' }, reasonLabel, reason),
    h('label', { for: 'decide-note' }, 'Note (optional)'),
    note,
    error,
    h('div', { class: 'actions' }, confirm, h('button', { type: 'button', onclick: () => element.close() }, 'Cancel')),
  );
  const element = h('dialog', { 'aria-labelledby': 'decide-title' }, form);
  let action = 'approve';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      confirm.disabled = true;
      try {
        await decide({
          action,
          ...(action === 'approve' ? {} : { reason: reason.value }),
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
        });
        element.close();
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
      } finally {
        confirm.disabled = false;
      }
    })();
  });
  return {
    element,
    isOpen: () => element.open,
    open(next: string) {
      action = next;
      const reasons = next === 'reject' ? facets.rejectReasons : next === 'request_info' ? facets.infoReasons : [];
      title.textContent =
        next === 'approve' ? 'Approve this claim?' : next === 'reject' ? 'Reject this claim' : 'Ask the customer for more';
      confirm.textContent = next === 'approve' ? 'Approve' : next === 'reject' ? 'Reject' : 'Send request';
      reason.replaceChildren(...reasons.map((r) => h('option', { value: r.code }, r.label)));
      (reason.parentElement as HTMLElement).hidden = reasons.length === 0;
      reason.disabled = reasons.length === 0;
      error.textContent = '';
      note.value = '';
      element.showModal();
      (reasons.length ? reason : confirm).focus();
    },
  };
}

/** After a decision: the next claim nobody else holds, else the queue. */
async function openNext(current: string): Promise<void> {
  const page = await api<{ items: QueueItem[] }>('GET', '/queue?limit=20');
  const next = page.items.find((i) => i.claimId !== current && (!i.lease || i.lease.username === state.session?.user.username));
  navigate(next ? `#/claims/${encodeURIComponent(next.claimId)}` : '#/queue');
}
