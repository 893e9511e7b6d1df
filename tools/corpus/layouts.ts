import type { ReceiptContent } from './content.js';
import type { SeededRandom } from '../lib/random.js';

export type FontRole = 'mono' | 'sans' | 'serif';

export type Element =
  | { type: 'text'; x: number; y: number; text: string; size: number; bold?: boolean; anchor?: 'start' | 'middle' | 'end'; color?: string }
  | { type: 'rect'; x: number; y: number; width: number; height: number; fill: string }
  | { type: 'line'; x1: number; y1: number; x2: number; y2: number; color: string; width: number };

/** One page laid out in pixels (A4 pages at 150 dpi, 1240 × 1754; slips at 203 dpi), text baselines at y. */
export interface Page {
  width: number;
  height: number;
  paper: string;
  role: FontRole;
  elements: Element[];
}

export type LayoutName = 'slip' | 'invoice' | 'order' | 'email' | 'app';

/** How wide a glyph runs on average, as a share of the font size: for wrapping and column fitting. */
const ADVANCE: Record<FontRole, number> = { mono: 0.6, sans: 0.55, serif: 0.58 };

function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A till slip, 58 or 80 mm wide at 203 dpi, in a monospaced printer font. */
export function slipPage(content: ReceiptContent, rng: SeededRandom): Page {
  const width = rng.pick([464, 576, 640]);
  const margin = 22;
  const size = width < 500 ? 20 : rng.pick([21, 22, 24]);
  const columns = Math.floor((width - 2 * margin) / (ADVANCE.mono * size));
  const lead = Math.round(size * 1.3);
  const els: Element[] = [];
  let y = margin + 10;
  const line = (text: string, opts: { anchor?: 'start' | 'middle' | 'end'; bold?: boolean; scale?: number; right?: string } = {}) => {
    const s = Math.round(size * (opts.scale ?? 1));
    y += Math.round(lead * (opts.scale ?? 1));
    const x = opts.anchor === 'middle' ? width / 2 : opts.anchor === 'end' ? width - margin : margin;
    els.push({ type: 'text', x, y, text, size: s, bold: opts.bold, anchor: opts.anchor });
    if (opts.right) els.push({ type: 'text', x: width - margin, y, text: opts.right, size: s, bold: opts.bold, anchor: 'end' });
  };
  const rule = () => line(rng.pick(['-', '=', '*']).repeat(columns));
  line(content.retailer.name.toUpperCase(), { anchor: 'middle', bold: true, scale: 1.7 });
  y += 8;
  for (const text of content.storeLines) for (const part of wrap(text, columns)) line(part, { anchor: 'middle' });
  rule();
  line(content.title, { anchor: 'middle', bold: true });
  for (const [label, value] of content.meta) {
    if (label.length + value.length + 2 <= columns) line(`${label}: ${value}`);
    else {
      line(`${label}:`);
      line(`  ${value}`);
    }
  }
  rule();
  for (const item of content.items) {
    for (const part of wrap(item.description, columns)) line(part);
    for (const detail of item.details) for (const part of wrap(detail, columns - 2)) line(`  ${part}`);
    line(`  ${item.quantity} x`, { right: item.amount });
  }
  rule();
  for (const [label, value] of content.totals) line(label, { right: value });
  line(content.total[0], { right: content.total[1], bold: true, scale: 1.15 });
  if (content.payment) line(content.payment[0], { right: content.payment[1] });
  rule();
  for (const text of content.footer) for (const part of wrap(text, columns)) line(part, { anchor: rng.chance(0.5) ? 'middle' : 'start' });
  return { width, height: y + margin + 30, paper: '#ffffff', role: 'mono', elements: els };
}

const BRAND_COLOURS = ['#c8102e', '#003da5', '#0b6e4f', '#222222', '#ff6600', '#1428a0', '#5c2d91'];

/** An A4 invoice: letterhead, the customer's address, a table of items, totals and a footer. */
export function invoicePage(content: ReceiptContent, rng: SeededRandom, role: FontRole): Page {
  const width = 1240;
  const height = 1754;
  const left = 110;
  const right = width - 110;
  const brand = rng.pick(BRAND_COLOURS);
  const els: Element[] = [];
  const text = (x: number, y: number, t: string, size: number, extra: Partial<Extract<Element, { type: 'text' }>> = {}) =>
    els.push({ type: 'text', x, y, text: t, size, ...extra });
  text(left, 150, content.retailer.name, rng.pick([48, 56, 64]), { bold: true, color: brand });
  content.storeLines.forEach((l, i) => text(right, 110 + i * 26, l, 19, { anchor: 'end', color: '#444444' }));
  if (content.customer) content.customer.forEach((l, i) => text(left, 300 + i * 30, l, 22));
  text(left, 470, content.title, 40, { bold: true });
  let y = 530;
  for (const [label, value] of content.meta) {
    text(left, y, `${label}:`, 22);
    text(left + 330, y, value, 22);
    y += 32;
  }
  y += 30;
  els.push({ type: 'rect', x: left - 10, y, width: right - left + 20, height: 42, fill: '#e9e9e9' });
  const priceX = right;
  const qtyX = right - 260;
  text(left, y + 29, '#', 20, { bold: true });
  text(left + 50, y + 29, content.items.length > 0 ? LABELS.description : '', 20, { bold: true });
  text(qtyX, y + 29, LABELS.qty, 20, { bold: true, anchor: 'end' });
  text(priceX, y + 29, content.currency, 20, { bold: true, anchor: 'end' });
  y += 80;
  const columns = Math.floor((qtyX - left - 120) / (ADVANCE[role] * 22));
  content.items.forEach((item, i) => {
    text(left, y, String(i + 1), 22);
    text(qtyX, y, String(item.quantity), 22, { anchor: 'end' });
    text(priceX, y, item.amount, 22, { anchor: 'end' });
    for (const part of wrap(item.description, columns)) {
      text(left + 50, y, part, 22, { bold: i === 0 });
      y += 30;
    }
    for (const detail of item.details) {
      text(left + 50, y, detail, 20, { color: '#333333' });
      y += 28;
    }
    y += 14;
  });
  els.push({ type: 'line', x1: left - 10, y1: y, x2: right + 10, y2: y, color: '#888888', width: 2 });
  y += 44;
  for (const [label, value] of [...content.totals, content.total]) {
    const isTotal = label === content.total[0];
    text(right - 420, y, label, 22, { bold: isTotal });
    text(right, y, value, 22, { bold: isTotal, anchor: 'end' });
    y += 34;
  }
  if (content.payment) {
    y += 20;
    text(left, y, `${content.payment[0]}: ${content.payment[1]}`, 22);
  }
  const footerTop = Math.max(y + 80, height - 60 - content.footer.length * 26);
  els.push({ type: 'line', x1: left, y1: footerTop - 30, x2: right, y2: footerTop - 30, color: '#aaaaaa', width: 1.5 });
  content.footer.forEach((l, i) => text(left, footerTop + i * 26, l, 18, { color: '#555555' }));
  return { width, height: Math.max(height, footerTop + content.footer.length * 26 + 40), paper: '#ffffff', role, elements: els };
}

/** Column headers stay English: the shops that print them in tables mostly do. */
const LABELS = { description: 'Description', qty: 'Qty' };

/**
 * A web shop's order confirmation: a coloured band with the shop's name, a greeting, the order's
 * numbers and one card per item. As an e-mail it carries the mail client's header; in the app it is
 * a phone screen with a status bar.
 */
export function onlinePage(content: ReceiptContent, rng: SeededRandom, layout: 'order' | 'email' | 'app', role: FontRole): Page {
  const phone = layout === 'app' || (layout === 'email' && rng.chance(0.5));
  const width = phone ? 1080 : layout === 'order' ? 1240 : 1440;
  const scale = phone ? 1.7 : 1;
  const left = Math.round((phone ? 50 : 110) * (layout === 'email' && !phone ? 2 : 1));
  const right = width - (phone ? 50 : 110);
  const brand = rng.pick(BRAND_COLOURS);
  const els: Element[] = [];
  const text = (x: number, y: number, t: string, size: number, extra: Partial<Extract<Element, { type: 'text' }>> = {}) =>
    els.push({ type: 'text', x, y, text: t, size: Math.round(size * scale), ...extra });
  let y = 0;
  if (phone) {
    els.push({ type: 'rect', x: 0, y: 0, width, height: 90, fill: layout === 'app' ? brand : '#f2f2f2' });
    text(50, 60, `${rng.int(8, 22)}:${String(rng.int(0, 59)).padStart(2, '0')}`, 20, {
      bold: true,
      color: layout === 'app' ? '#ffffff' : '#000000',
    });
    text(width - 50, 60, `${rng.int(20, 99)}%`, 18, { anchor: 'end', color: layout === 'app' ? '#ffffff' : '#000000' });
    y = 90;
  }
  if (layout === 'email') {
    els.push({ type: 'rect', x: 0, y, width, height: Math.round(190 * scale), fill: '#f7f7f9' });
    const words = content.retailer.web.replace(/^www\./, '');
    text(left, y + 50 * scale, `${content.title} – ${content.retailer.name}`, 24, { bold: true });
    text(left, y + 95 * scale, `${content.retailer.name} <no-reply@${words.split('/')[0]}>`, 18, { color: '#333333' });
    text(left, y + 130 * scale, content.customer?.[0] ?? '', 18, { color: '#555555' });
    y += Math.round(200 * scale);
  }
  els.push({ type: 'rect', x: 0, y, width, height: Math.round(110 * scale), fill: brand });
  text(layout === 'app' ? width / 2 : left, y + 72 * scale, content.retailer.name, 36, {
    bold: true,
    color: '#ffffff',
    anchor: layout === 'app' ? 'middle' : 'start',
  });
  y += Math.round(180 * scale);
  text(left, y, content.title, 34, { bold: true });
  y += Math.round(60 * scale);
  if (content.customer) {
    text(left, y, `${content.customer[0]},`, 22);
    y += Math.round(50 * scale);
  }
  for (const [label, value] of content.meta) {
    text(left, y, label, 20, { color: '#666666' });
    text(phone ? right : left + 420, y, value, 20, { bold: true, anchor: phone ? 'end' : 'start' });
    y += Math.round(40 * scale);
  }
  y += Math.round(30 * scale);
  const columns = Math.floor((right - left - 200 * scale) / (ADVANCE[role] * 22 * scale));
  for (const item of content.items) {
    const top = y - Math.round(40 * scale);
    const lines = wrap(item.description, columns).length + item.details.length + 1;
    const boxHeight = Math.round((lines * 36 + 50) * scale);
    els.push({ type: 'rect', x: left - 20, y: top, width: right - left + 40, height: boxHeight, fill: '#f4f4f4' });
    els.push({ type: 'rect', x: left, y: top + 20 * scale, width: 120 * scale, height: 120 * scale, fill: '#d9d9d9' });
    const textX = left + 150 * scale;
    for (const part of wrap(item.description, columns)) {
      text(textX, y, part, 22, { bold: true });
      y += Math.round(36 * scale);
    }
    for (const detail of item.details) {
      text(textX, y, detail, 19, { color: '#444444' });
      y += Math.round(34 * scale);
    }
    text(right, y, `${item.quantity} × ${item.amount} ${content.currency}`, 20, { anchor: 'end' });
    y = top + boxHeight + Math.round(60 * scale);
  }
  for (const [label, value] of [...content.totals, content.total]) {
    const isTotal = label === content.total[0];
    text(phone ? left : right - 520, y, label, 22, { bold: isTotal });
    text(right, y, `${value}${value.endsWith(content.currency) ? '' : ` ${content.currency}`}`, 22, { bold: isTotal, anchor: 'end' });
    y += Math.round(40 * scale);
  }
  if (content.payment) {
    y += Math.round(20 * scale);
    text(left, y, `${content.payment[0]}: ${content.payment[1]} ${content.currency}`, 20);
    y += Math.round(40 * scale);
  }
  y += Math.round(40 * scale);
  for (const l of content.footer) {
    for (const part of wrap(l, Math.floor((right - left) / (ADVANCE[role] * 17 * scale)))) {
      text(left, y, part, 17, { color: '#777777' });
      y += Math.round(28 * scale);
    }
  }
  const height = phone ? Math.max(2340, y + 60) : Math.max(layout === 'order' ? 1754 : 900, y + 60);
  return { width, height, paper: '#ffffff', role, elements: els };
}
