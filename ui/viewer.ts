import { FIELD_LABELS, h } from './dom.js';
import type { Box, ReceiptPage } from './types.js';

export interface Mark {
  id: string;
  label: string;
  page: number;
  box: Box;
  kind: 'field' | 'evidence' | 'heat';
  /** Heat regions: their hottest cell, in times the paper's typical level, 0-9. */
  level?: number;
  /** Heat regions: how many cells stand out in it. */
  cells?: number;
}

/**
 * The receipt viewer: one page at a time, zoom, rotate in quarter turns, fit to width, and the
 * highlight boxes drawn over the page in the page's own coordinates (so they follow zoom and rotation).
 */
export class ReceiptViewer {
  readonly element: HTMLElement;
  private readonly frame = h('div', { class: 'viewer-frame', tabindex: 0, role: 'region', 'aria-label': 'Receipt image' });
  private readonly sheet = h('div', { class: 'sheet' });
  private readonly img = h('img', { alt: '' });
  private readonly overlay = h('div', { class: 'overlay' });
  private readonly pageLabel = h('span', { class: 'page-label' });
  private readonly heatButton: HTMLButtonElement | null;
  private readonly heatLegend: HTMLElement | null;
  private page = 1;
  private zoom = 1;
  private turns = 0;
  private fitted = true;
  /** Resolves once the first page has been decoded and laid out: the page is usable. */
  readonly ready: Promise<void>;

  constructor(
    private readonly pages: ReceiptPage[],
    private readonly marks: Mark[],
    title: string,
  ) {
    this.sheet.append(this.img, this.overlay);
    const wrapper = h('div', { class: 'sheet-wrapper' }, this.sheet);
    this.frame.append(wrapper);
    const button = (label: string, text: string, action: () => void, key: string) =>
      h('button', { type: 'button', 'aria-label': `${label} (${key})`, title: `${label} (${key})`, onclick: action }, text);
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Receipt view' },
      button('Zoom out', '−', () => this.setZoom(this.zoom / 1.25), '-'),
      button('Zoom in', '+', () => this.setZoom(this.zoom * 1.25), '+'),
      button('Fit to width', 'Fit', () => this.fit(), '0'),
      button('Rotate a quarter turn', '⟳ Rotate', () => this.rotate(), 'o'),
      pages.length > 1 ? button('Previous page', '‹', () => this.show(this.page - 1), '[') : null,
      pages.length > 1 ? button('Next page', '›', () => this.show(this.page + 1), ']') : null,
      this.pageLabel,
    );
    const heat = marks.filter((m) => m.kind === 'heat');
    this.heatButton =
      heat.length === 0 ? null : button('Show where the image may have been edited', 'Edit traces', () => this.toggleHeat(), 'h');
    this.heatButton?.setAttribute('aria-pressed', 'false');
    if (this.heatButton) toolbar.insertBefore(this.heatButton, this.pageLabel);
    this.heatLegend = heat.length === 0 ? null : heatLegend(heat);
    this.element = h('section', { class: 'viewer', 'aria-label': title }, toolbar, this.heatLegend, this.frame);
    // A receipt that cannot be shown still leaves the page usable: the fields and flags are there.
    this.ready =
      pages.length === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            this.img.addEventListener('load', () => resolve(), { once: true });
            this.img.addEventListener(
              'error',
              () => {
                this.frame.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The receipt image could not be loaded.'));
                resolve();
              },
              { once: true },
            );
          });
    this.img.addEventListener('load', () => this.layout());
    new ResizeObserver(() => this.fitted && this.layout()).observe(this.frame);
    if (pages.length > 0) this.show(1);
    else this.frame.replaceChildren(h('p', { class: 'empty' }, 'This claim has no receipt.'));
  }

  show(page: number): void {
    const target = this.pages.find((p) => p.number === page);
    if (!target) return;
    this.page = page;
    this.img.alt = `Receipt page ${page} of ${this.pages.length}`;
    this.img.src = target.url;
    // Of a claim with several documents, which document the page is of ("Document 2 of 2, added … by the customer").
    const of = target.label ? `${target.label} · ` : '';
    this.pageLabel.textContent = this.pages.length > 1 ? `${of}Page ${page} of ${this.pages.length}` : '';
    if (this.img.complete && this.img.naturalWidth) this.layout();
  }

  /** Shows or hides the heat map's regions over the receipt, and their legend. */
  toggleHeat(): void {
    if (!this.heatButton || !this.heatLegend) return;
    const on = this.heatButton.getAttribute('aria-pressed') !== 'true';
    this.heatButton.setAttribute('aria-pressed', String(on));
    this.heatLegend.hidden = !on;
    this.element.classList.toggle('show-heat', on);
  }

  /** Shows the label of mark `id` while `owner` (the field or flag it belongs to) is hovered or holds the focus. */
  labelWhileOver(owner: HTMLElement, id: string): void {
    const hint = (on: boolean) => {
      for (const el of this.overlay.querySelectorAll<HTMLElement>('.mark')) el.classList.toggle('hinted', on && el.dataset.id === id);
    };
    owner.addEventListener('mouseenter', () => hint(true));
    owner.addEventListener('mouseleave', () => hint(false));
    owner.addEventListener('focusin', () => hint(true));
    owner.addEventListener('focusout', () => hint(false));
  }

  /** Shows the page a mark is on and scrolls it into view, emphasised. */
  focusMark(id: string): void {
    const mark = this.marks.find((m) => m.id === id);
    if (!mark) return;
    if (mark.page !== this.page) this.show(mark.page);
    requestAnimationFrame(() => {
      for (const el of this.overlay.querySelectorAll('.mark')) el.classList.toggle('active', (el as HTMLElement).dataset.id === id);
      const el = this.overlay.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
      if (!el) return;
      // The frame alone scrolls: scrollIntoView would scroll the page too, the claim's heading out of view.
      const box = el.getBoundingClientRect();
      const frame = this.frame.getBoundingClientRect();
      this.frame.scrollBy({
        left: box.left + box.width / 2 - (frame.left + frame.width / 2),
        top: box.top + box.height / 2 - (frame.top + frame.height / 2),
        behavior: 'smooth',
      });
    });
  }

  setZoom(zoom: number): void {
    this.zoom = Math.min(8, Math.max(0.1, zoom));
    this.fitted = false;
    this.layout();
  }

  fit(): void {
    this.fitted = true;
    this.layout();
  }

  rotate(): void {
    this.turns = (this.turns + 1) % 4;
    this.layout();
  }

  handleKey(event: KeyboardEvent): boolean {
    const actions: Record<string, () => void> = {
      '+': () => this.setZoom(this.zoom * 1.25),
      '=': () => this.setZoom(this.zoom * 1.25),
      '-': () => this.setZoom(this.zoom / 1.25),
      '0': () => this.fit(),
      o: () => this.rotate(),
      '[': () => this.show(this.page - 1),
      ']': () => this.show(this.page + 1),
      ...(this.heatButton ? { h: () => this.toggleHeat() } : {}),
    };
    const action = actions[event.key];
    if (!action) return false;
    action();
    return true;
  }

  private layout(): void {
    const { naturalWidth: w, naturalHeight: h0 } = this.img;
    if (!w) return;
    const sideways = this.turns % 2 === 1;
    if (this.fitted) this.zoom = Math.max(0.05, (this.frame.clientWidth - 4) / (sideways ? h0 : w));
    const width = w * this.zoom;
    const height = h0 * this.zoom;
    const wrapper = this.sheet.parentElement!;
    wrapper.style.width = `${sideways ? height : width}px`;
    wrapper.style.height = `${sideways ? width : height}px`;
    this.sheet.style.width = `${width}px`;
    this.sheet.style.height = `${height}px`;
    const shift = [`0, 0`, `${height}px, 0`, `${width}px, ${height}px`, `0, ${width}px`][this.turns];
    this.sheet.style.transform = `translate(${shift}) rotate(${this.turns * 90}deg)`;
    this.drawMarks(w, h0);
  }

  private drawMarks(naturalWidth: number, naturalHeight: number): void {
    const page = this.pages.find((p) => p.number === this.page)!;
    // Boxes are in the page's coordinate space; the image may be shown at any size.
    const coordHeight = (page.coordinateWidth * naturalHeight) / naturalWidth;
    this.overlay.replaceChildren(
      ...this.marks
        .filter((m) => m.page === this.page)
        .map((m) => {
          const [x0, y0, x1, y1] = m.box;
          const el =
            m.kind === 'heat'
              ? h(
                  'div',
                  { class: 'heat-region', 'data-id': m.id, title: `Edit traces ${m.label}: ${m.level ?? 0}× the paper's typical level` },
                  h('span', { class: 'heat-rank' }, m.label),
                )
              : // An outline around the text, its label shown on hover or focus only: both would cover
                // the very characters a reviewer compares (app.css).
                h(
                  'div',
                  {
                    class: `mark ${m.kind}`,
                    'data-id': m.id,
                    tabindex: 0,
                    role: 'img',
                    'aria-label': `${FIELD_LABELS[m.label] ?? m.label} on the receipt`,
                  },
                  h('span', { class: 'mark-label', 'aria-hidden': 'true' }, FIELD_LABELS[m.label] ?? m.label),
                );
          // Set through the CSSOM: the page's content security policy refuses inline style attributes.
          Object.assign(el.style, {
            left: `${(x0 / page.coordinateWidth) * 100}%`,
            top: `${(y0 / coordHeight) * 100}%`,
            width: `${((x1 - x0) / page.coordinateWidth) * 100}%`,
            height: `${((y1 - y0) / coordHeight) * 100}%`,
          });
          return el;
        }),
    );
  }
}

/**
 * What the outlined regions mean, strongest first, numbered as on the receipt: where the image's
 * error level (or paper shade) stands out from the rest of the paper, and by how much.
 */
function heatLegend(regions: Mark[]): HTMLElement {
  return h(
    'div',
    { class: 'heat-legend', hidden: true, role: 'note', 'aria-label': 'Edit traces legend' },
    h(
      'p',
      {},
      h('span', { class: 'heat-swatch', 'aria-hidden': 'true' }),
      ' Outlined: where the image may have been edited. Its compression traces (or paper shade) stand out from the rest of the paper; compare the print inside with the print around it.',
    ),
    h(
      'ol',
      {},
      regions.map((r) =>
        h('li', {}, `${r.level ?? 0}× the paper's typical level, ${r.cells ?? 1} ${r.cells === 1 ? 'cell' : 'cells'} (page ${r.page})`),
      ),
    ),
  );
}
