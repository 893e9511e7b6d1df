/**
 * Generates the shipped sample receipts in this folder.
 *
 *   npx tsx samples/make-samples.ts
 *
 * Everything here is fictional (people, numbers, store addresses); retailers are real European chains
 * and the manufacturer is Samsung. The script is deterministic: fixed seeds, fixed dates, no clock,
 * so a rerun reproduces the committed files byte for byte (same sharp/libvips and pdf-lib versions).
 *
 * Outputs (next to this script):
 *   photo-receipt.jpg    phone photo of a German MediaMarkt till slip (Galaxy S24, IMEI)
 *   scan-receipt.png     flatbed scan of a Norwegian Elkjøp slip (Galaxy Book3 notebook, serial)
 *   expired-receipt.png  flatbed scan of a Norwegian POWER slip from 2021 (Galaxy S21, IMEI)
 *   invoice-text.pdf     Samsung Shop A4 invoice with a text layer (TV + 3-year extension)
 *   invoice-scan.pdf     Amazon.de A4 invoice as an image-only PDF (monitor, serial)
 *   corrupt.jpg          the first 40 % of a real JPEG: must be refused as unreadable
 *   claims.ndjson        claim forms (input manifest) for the files above
 *   expected.ndjson      what each receipt shows + the expected decision
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { luhnCheckDigit } from '../src/domain/identifiers.js';

const OUT = dirname(fileURLToPath(import.meta.url));
const CLAIM_DATE = '2025-06-01';
/** Fixed PDF metadata dates (never the clock): the invoice is generated on its invoice date, the
 * scan is made shortly before the claim. Creation = modification, as for an unedited document. */
const INVOICE_PDF_DATE = new Date(Date.UTC(2023, 1, 21, 9, 32, 14));
const SCAN_PDF_DATE = new Date(Date.UTC(2025, 4, 28, 17, 5, 41));

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 15-digit IMEI: 8-digit TAC + 6-digit serial + Luhn digit. */
function imei(tac: string, snr: string): string {
  const body = tac + snr;
  if (!/^\d{14}$/.test(body)) throw new Error(`bad IMEI body ${body}`);
  const full = body + luhnCheckDigit(body);
  return full;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const nd = Math.min(d, last);
  return `${ny}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Till-slip renderer (SVG -> PNG with alpha)
// ---------------------------------------------------------------------------------------------

type SlipLine =
  | { kind: 'text'; left?: string; right?: string; center?: string; bold?: boolean; scale?: number }
  | { kind: 'rule'; char: '-' | '=' }
  | { kind: 'gap'; px: number }
  | { kind: 'qr'; seed: number };

const t = (left: string, right?: string, bold = false): SlipLine => ({ kind: 'text', left, right, bold });
const c = (center: string, bold = false, scale = 1): SlipLine => ({ kind: 'text', center, bold, scale });
const rule = (ch: '-' | '=' = '-'): SlipLine => ({ kind: 'rule', char: ch });
const gap = (px: number): SlipLine => ({ kind: 'gap', px });

interface SlipStyle {
  width: number;
  fontSize: number;
  font: string;
  paper: string;
  ink: string;
  margin: number;
}

/** A pseudo QR code (finder patterns + seeded modules): decoration only. */
function qrSvg(x: number, y: number, module: number, seed: number, ink: string): string {
  const n = 25;
  const r = rng(seed);
  const rects: string[] = [];
  const finder = (fx: number, fy: number) => {
    rects.push(`<rect x="${x + fx * module}" y="${y + fy * module}" width="${7 * module}" height="${7 * module}" fill="${ink}"/>`);
    rects.push(
      `<rect x="${x + (fx + 1) * module}" y="${y + (fy + 1) * module}" width="${5 * module}" height="${5 * module}" fill="#fff"/>`,
    );
    rects.push(
      `<rect x="${x + (fx + 2) * module}" y="${y + (fy + 2) * module}" width="${3 * module}" height="${3 * module}" fill="${ink}"/>`,
    );
  };
  const inFinder = (i: number, j: number) => (i < 8 && j < 8) || (i >= n - 8 && j < 8) || (i < 8 && j >= n - 8);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (inFinder(i, j)) continue;
      if (r() < 0.48) {
        rects.push(`<rect x="${x + i * module}" y="${y + j * module}" width="${module}" height="${module}" fill="${ink}"/>`);
      }
    }
  }
  finder(0, 0);
  finder(n - 7, 0);
  finder(0, n - 7);
  return rects.join('');
}

async function renderSlip(lines: SlipLine[], st: SlipStyle): Promise<Buffer> {
  const lh = Math.round(st.fontSize * 1.3);
  const charW = st.fontSize * 0.602; // DejaVu Sans Mono advance
  const cols = Math.floor((st.width - 2 * st.margin) / charW);
  let y = st.margin + 20;
  const parts: string[] = [];
  for (const ln of lines) {
    if (ln.kind === 'gap') {
      y += ln.px;
      continue;
    }
    if (ln.kind === 'rule') {
      y += lh;
      parts.push(`<text x="${st.margin}" y="${y}" font-size="${st.fontSize}">${ln.char.repeat(cols)}</text>`);
      continue;
    }
    if (ln.kind === 'qr') {
      const module = Math.round(st.fontSize * 0.42);
      const size = 25 * module;
      y += Math.round(lh * 0.6);
      parts.push(qrSvg(Math.round((st.width - size) / 2), y, module, ln.seed, st.ink));
      y += size;
      continue;
    }
    const fs = Math.round(st.fontSize * (ln.scale ?? 1));
    y += Math.round(lh * (ln.scale ?? 1));
    const w = ln.bold ? ' font-weight="bold"' : '';
    if (ln.center !== undefined) {
      parts.push(`<text x="${st.width / 2}" y="${y}" font-size="${fs}" text-anchor="middle"${w}>${xml(ln.center)}</text>`);
    }
    if (ln.left !== undefined) {
      parts.push(`<text x="${st.margin}" y="${y}" font-size="${fs}"${w}>${xml(ln.left)}</text>`);
    }
    if (ln.right !== undefined) {
      parts.push(`<text x="${st.width - st.margin}" y="${y}" font-size="${fs}" text-anchor="end"${w}>${xml(ln.right)}</text>`);
    }
  }
  const height = y + st.margin + 40;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${st.width}" height="${height}" xml:space="preserve">
<rect x="0" y="0" width="${st.width}" height="${height}" fill="${st.paper}"/>
<g font-family="${st.font}" fill="${st.ink}">${parts.join('\n')}</g>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// ---------------------------------------------------------------------------------------------
// "Photo" and "scan" treatments
// ---------------------------------------------------------------------------------------------

interface PhotoOpts {
  width: number;
  height: number;
  angle: number;
  seed: number;
  quality: number;
  exif: Record<string, string>;
}

async function photograph(slip: Buffer, o: PhotoOpts): Promise<Buffer> {
  // Paper with a soft lighting gradient (brighter top-left), then rotated on a transparent canvas.
  const meta = await sharp(slip).metadata();
  const pw = meta.width ?? 0;
  const ph = meta.height ?? 0;
  const light = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${pw}" height="${ph}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#ffffff" stop-opacity="0"/>
<stop offset="1" stop-color="#6b5d48" stop-opacity="0.22"/></linearGradient></defs>
<rect width="${pw}" height="${ph}" fill="url(#g)"/></svg>`);
  const litPaper = await sharp(slip)
    .composite([{ input: light }])
    .png()
    .toBuffer();
  const bgNone = { r: 0, g: 0, b: 0, alpha: 0 };
  const rotated = await sharp(litPaper).rotate(o.angle, { background: bgNone }).png().toBuffer();
  const rm = await sharp(rotated).metadata();
  const rw = rm.width ?? 0;
  const rh = rm.height ?? 0;
  if (rw + 60 > o.width || rh + 60 > o.height) throw new Error(`slip ${rw}x${rh} does not fit ${o.width}x${o.height}`);
  // Shadow: the rotated paper's alpha as a blurred dark shape.
  const shadowAlpha = await sharp(rotated).extractChannel('alpha').linear(0.55, 0).png().toBuffer();
  const shadow = await sharp({ create: { width: rw, height: rh, channels: 3, background: '#000000' } })
    .joinChannel(shadowAlpha)
    .blur(14)
    .png()
    .toBuffer();
  const left = Math.round((o.width - rw) / 2);
  const top = Math.round((o.height - rh) / 2);
  const bg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}">
<defs><radialGradient id="v" cx="0.45" cy="0.4" r="0.8">
<stop offset="0" stop-color="#5b534b"/><stop offset="1" stop-color="#2a2622"/></radialGradient></defs>
<rect width="${o.width}" height="${o.height}" fill="url(#v)"/></svg>`);
  const composed = await sharp(bg)
    .composite([
      { input: shadow, left: left + 14, top: top + 18 },
      { input: rotated, left, top },
    ])
    .flatten({ background: '#2a2622' })
    .blur(0.8)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Sensor noise, seeded.
  const r = rng(o.seed);
  const px = composed.data;
  for (let i = 0; i < px.length; i += composed.info.channels) {
    const n = (r() + r() + r() - 1.5) * 6;
    for (let k = 0; k < 3; k++) {
      const v = (px[i + k] ?? 0) + n;
      px[i + k] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return sharp(px, {
    raw: { width: composed.info.width, height: composed.info.height, channels: composed.info.channels },
  })
    .removeAlpha()
    .jpeg({ quality: o.quality, chromaSubsampling: '4:2:0' })
    .withExif({ IFD0: o.exif })
    .toBuffer();
}

interface ScanOpts {
  width: number;
  height: number;
  angle: number;
  seed: number;
}

async function scan(slip: Buffer, o: ScanOpts): Promise<Buffer> {
  const rotated = await sharp(slip)
    .rotate(o.angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const rm = await sharp(rotated).metadata();
  const left = Math.round((o.width - (rm.width ?? 0)) / 2);
  const top = 60;
  // Dust specks from the scanner glass, seeded.
  // Kept off the paper so that no speck can touch a printed character.
  const r = rng(o.seed);
  const specks: string[] = [];
  const pw = rm.width ?? 0;
  const ph = rm.height ?? 0;
  for (let i = 0; i < 24; i++) {
    const side = r();
    const x =
      side < 0.5
        ? Math.round(side < 0.25 ? r() * (left - 8) : left + pw + 8 + r() * (o.width - left - pw - 16))
        : Math.round(r() * o.width);
    const y = side < 0.5 ? Math.round(r() * o.height) : Math.round(top + ph + 8 + r() * Math.max(0, o.height - top - ph - 16));
    const rad = (0.6 + r() * 1.4).toFixed(1);
    specks.push(`<circle cx="${x}" cy="${y}" r="${rad}" fill="#777"/>`);
  }
  const dust = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}">${specks.join('')}</svg>`);
  return sharp({
    create: { width: o.width, height: o.height, channels: 3, background: '#fcfcfb' },
  })
    .composite([{ input: rotated, left, top }, { input: dust }])
    .blur(0.5)
    .grayscale()
    .png({ compressionLevel: 9, palette: true, colours: 64, dither: 0 })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------
// The sample documents
// ---------------------------------------------------------------------------------------------

const MONO = 'DejaVu Sans Mono';
const SANS = 'DejaVu Sans';

// 1. MediaMarkt (DE) till slip, photographed ------------------------------------------------------
const S24_IMEI = imei('35091764', '208413');
const S24 = {
  retailer: 'MediaMarkt',
  model: 'SM-S921B/DS',
  date: '2025-02-22',
  dateText: '22.02.2025',
};

function mediaMarktSlip(): SlipLine[] {
  return [
    c('MediaMarkt', true, 1.6),
    gap(6),
    c('MediaMarkt Hamburg-Harburg'),
    c('Seevestraße 12, 21079 Hamburg'),
    c('Tel. 040 7651 2290'),
    c('USt-IdNr. DE 284 116 530'),
    rule(),
    t('Beleg-Nr. 4471-0398-2215', 'Kasse 07'),
    t(`Datum: ${S24.dateText}`, '14:22 Uhr'),
    t('Bediener: 112'),
    rule(),
    t('2581937 Samsung Galaxy S24'),
    t('        256GB Onyx Black'),
    t(`        ${S24.model}`),
    t(`        IMEI: ${S24_IMEI}`),
    t('        EAN 8806095412733'),
    t('     1 x 899,00', '899,00 A'),
    t('1904422 Schutzglas Galaxy S24'),
    t('     1 x 19,99', '19,99 A'),
    rule(),
    t('SUMME EUR', '918,99', true),
    rule('='),
    t('Girocard', '918,99'),
    t('Karte ************4417'),
    t('Terminal-ID 60281143', 'TA 004512'),
    rule(),
    t('MwSt     Netto   MwSt', 'Brutto'),
    t('A 19%   772,26 146,73', '918,99'),
    rule(),
    t('Umtausch bis 08.03.2025'),
    t('nur mit Kassenbon und in'),
    t('Originalverpackung.'),
    rule(),
    t('TSE-Seriennummer:'),
    t('9c3e57a2b8f14d06e91a4b7c2d58f3a0'),
    t('TSE-Transaktion: 188412'),
    t('TSE-Signaturzähler: 377015'),
    t('TSE-Start: 2025-02-22T14:21:37'),
    t('TSE-Ende:  2025-02-22T14:22:09'),
    gap(10),
    c('Vielen Dank für Ihren Einkauf!'),
    c('Ihr MediaMarkt Team'),
  ];
}

// 2. Elkjøp (NO) till slip, flatbed scan ------------------------------------------------------------
const BOOK3 = {
  retailer: 'Elkjøp',
  model: 'NP750XGK-KG3DE',
  serial: '7XK2LPQA704915R',
  date: '2025-04-11',
  dateText: '11.04.2025',
};

function elkjopSlip(): SlipLine[] {
  return [
    c('ELKJØP', true, 1.6),
    gap(6),
    c('Elkjøp Trondheim Lade'),
    c('Haakon VIIs gate 9, 7041 Trondheim'),
    c('Tlf. 73 80 14 50'),
    c('Org.nr. NO 923 418 667 MVA'),
    rule(),
    t(`Dato: ${BOOK3.dateText}`, 'kl. 16:47'),
    t('Kasse 3  Kvitt.nr. 21877  Selger 5521'),
    rule(),
    c('KVITTERING', true),
    t('5504183 SAMSUNG GALAXY BOOK3 15,6"'),
    t(`        ${BOOK3.model}`),
    t(`        Serienr.: ${BOOK3.serial}`),
    t('', '8 490,00 A'),
    t('5512770 MUSEMATTE PRO', '149,00 A'),
    rule(),
    t('Totalt NOK', '8 639,00', true),
    rule('='),
    t('BankAxept', '8 639,00'),
    t('Kort ************2290'),
    t('Terminal-ID 71930284', 'Ref 418803'),
    rule(),
    t('MVA 25%   Grunnlag', 'MVA'),
    t('          6 911,20', '1 727,80'),
    rule(),
    t('Åpent kjøp til 11.05.2025'),
    t('Reklamasjon iht. forbrukerkjøpsloven'),
    { kind: 'qr', seed: 2202 },
    gap(10),
    c('Takk for handelen!'),
    c('Ta vare på kvitteringen'),
  ];
}

// 6. POWER (NO) till slip from 2021, flatbed scan -> expired -------------------------------------
const S21_IMEI = imei('35262811', '530972');
const S21 = {
  retailer: 'Power',
  model: 'SM-G991B/DS',
  date: '2021-05-22',
  dateText: '22.05.2021',
};

function powerSlip(): SlipLine[] {
  return [
    c('POWER', true, 1.6),
    gap(6),
    c('POWER Bergen Åsane'),
    c('Åsanevegen 88, 5116 Ulset'),
    c('Tlf. 55 19 70 00'),
    c('Org.nr. NO 917 502 338 MVA'),
    rule(),
    c('KVITTERING', true),
    t('1120448 SAMSUNG GALAXY S21 5G'),
    t('        128GB PHANTOM GRAY'),
    t(`        ${S21.model}`),
    t(`        IMEI ${S21_IMEI}`),
    t('', '7 990,00 A'),
    t('1188231 DEKSEL CLEAR S21', '249,00 A'),
    rule(),
    t('Totalt NOK', '8 239,00', true),
    rule('='),
    t('VISA', '8 239,00'),
    t('Kort ************6051'),
    t('Terminal-ID 52118406', 'Trace 9034'),
    rule(),
    t('MVA 25%   6 591,20', '1 647,80'),
    rule(),
    t(`Dato: ${S21.dateText}`, 'kl. 12:08'),
    t('Kasse 2  Kvitt.nr. 90312'),
    t('Åpent kjøp til 21.06.2021'),
    gap(10),
    c('Takk for handelen!'),
  ];
}

// corrupt.jpg source: a Saturn slip photo (never shipped whole) ------------------------------------
function saturnSlip(): SlipLine[] {
  return [
    c('SATURN', true, 1.6),
    c('Saturn Dortmund Westenhellweg'),
    rule(),
    t('Datum: 03.04.2025', '10:41'),
    t('3318820 Galaxy Watch6 44mm'),
    t('        SM-R940'),
    t('     1 x 229,00', '229,00 A'),
    rule(),
    t('SUMME EUR', '229,00', true),
    rule('='),
    t('Bar', '250,00'),
    t('Rückgeld', '21,00'),
    rule(),
    c('Danke für Ihren Einkauf!'),
  ];
}

// 3. Samsung Shop invoice, A4 PDF with a text layer ------------------------------------------------
const TV = {
  retailer: 'Samsung Shop',
  model: 'UE55CU8079UXZG',
  serial: '0TQ43HCT900517W',
  date: '2023-02-21',
};

async function samsungInvoicePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('Rechnung DE-SSO-2023-0488127');
  doc.setAuthor('Samsung Electronics GmbH');
  doc.setCreator('warranty-pipeline sample generator');
  doc.setProducer('pdf-lib');
  doc.setCreationDate(INVOICE_PDF_DATE);
  doc.setModificationDate(INVOICE_PDF_DATE);
  const page = doc.addPage([595.28, 841.89]);
  const reg = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.1, 0.1, 0.12);
  const grey = rgb(0.4, 0.4, 0.42);
  const blue = rgb(0.08, 0.16, 0.6);
  const text = (p: PDFPage, s: string, x: number, y: number, size = 9.5, f: PDFFont = reg, color = ink) =>
    p.drawText(s, { x, y, size, font: f, color });
  const right = (p: PDFPage, s: string, xr: number, y: number, size = 9.5, f: PDFFont = reg) =>
    p.drawText(s, { x: xr - f.widthOfTextAtSize(s, size), y, size, font: f, color: ink });

  text(page, 'SAMSUNG', 50, 780, 26, bold, blue);
  text(page, 'Samsung Shop', 50, 764, 10, reg, grey);
  text(page, 'Samsung Electronics GmbH  ·  Samsung Shop  ·  Am Kronberger Hang 6  ·  65824 Schwalbach/Ts.', 50, 735, 7, reg, grey);
  // Recipient
  text(page, 'Herrn', 50, 712);
  text(page, 'Jonas Winterberg', 50, 699);
  text(page, 'Lindenallee 23', 50, 686);
  text(page, '04229 Leipzig', 50, 673);
  // Invoice metadata block
  const meta: Array<[string, string]> = [
    ['Rechnungsnummer:', 'DE-SSO-2023-0488127'],
    ['Rechnungsdatum:', '21. Februar 2023'],
    ['Bestellnummer:', 'DE230221-08815512'],
    ['Kundennummer:', '7731 0459'],
    ['Lieferdatum:', '24. Februar 2023'],
    ['Zahlungsart:', 'PayPal (bezahlt)'],
  ];
  let my = 712;
  for (const [k, v] of meta) {
    text(page, k, 340, my, 9.5, bold);
    text(page, v, 440, my);
    my -= 14;
  }
  text(page, 'Rechnung', 50, 610, 18, bold);
  text(page, 'Vielen Dank für Ihre Bestellung im Samsung Shop. Wir berechnen Ihnen folgende Artikel:', 50, 590);

  // Table
  const cols = { pos: 50, art: 80, qty: 390, unit: 470, total: 545 };
  let y = 560;
  page.drawRectangle({ x: 45, y: y - 5, width: 505, height: 18, color: rgb(0.92, 0.93, 0.96) });
  text(page, 'Pos.', cols.pos, y, 9, bold);
  text(page, 'Artikel', cols.art, y, 9, bold);
  text(page, 'Menge', cols.qty, y, 9, bold);
  right(page, 'Einzelpreis', cols.unit, y, 9, bold);
  right(page, 'Gesamt', cols.total, y, 9, bold);
  y -= 24;
  const rows: Array<{ pos: string; lines: string[]; qty: string; unit: string; total: string }> = [
    {
      pos: '1',
      lines: ['Samsung 55" Crystal UHD 4K CU8079 Smart TV', `Modell: ${TV.model}`, `Seriennummer: ${TV.serial}`],
      qty: '1',
      unit: '649,00 €',
      total: '649,00 €',
    },
    {
      pos: '2',
      lines: ['Samsung Garantieverlängerung +3 Jahre', `(Gesamtlaufzeit 5 Jahre) für ${TV.model}`],
      qty: '1',
      unit: '79,00 €',
      total: '79,00 €',
    },
    { pos: '3', lines: ['Standardversand'], qty: '1', unit: '0,00 €', total: '0,00 €' },
  ];
  for (const r of rows) {
    // Drawn in reading order so the text layer reads "1 <article> 1 649,00 € 649,00 €".
    let ly = y;
    text(page, r.pos, cols.pos, y);
    r.lines.forEach((l, i) => {
      text(page, l, cols.art, ly, i === 0 ? 9.5 : 8.5, i === 0 ? bold : reg, i === 0 ? ink : grey);
      if (i === 0) {
        text(page, r.qty, cols.qty + 10, y);
        right(page, r.unit, cols.unit, y);
        right(page, r.total, cols.total, y);
      }
      ly -= 13;
    });
    y = ly - 10;
    page.drawLine({ start: { x: 45, y: y + 12 }, end: { x: 550, y: y + 12 }, thickness: 0.4, color: grey });
  }
  y -= 6;
  const sums: Array<[string, string, boolean]> = [
    ['Summe netto', '611,76 €', false],
    ['zzgl. 19 % MwSt.', '116,24 €', false],
    ['Gesamtbetrag', '728,00 €', true],
  ];
  for (const [k, v, b] of sums) {
    text(page, k, 360, y, 10, b ? bold : reg);
    right(page, v, cols.total, y, 10, b ? bold : reg);
    y -= 16;
  }
  y -= 20;
  const notes = [
    'Der Rechnungsbetrag wurde am 21.02.2023 per PayPal beglichen.',
    'Die Garantieverlängerung gilt für Geräte mit Aufstellort in Deutschland und private Nutzung',
    '(max. 12 Stunden täglich). Sie beginnt im Anschluss an die 2-jährige Herstellergarantie.',
    'Bitte bewahren Sie diese Rechnung als Garantienachweis auf.',
  ];
  for (const n of notes) {
    text(page, n, 50, y, 9);
    y -= 13;
  }
  // Footer
  page.drawLine({ start: { x: 50, y: 80 }, end: { x: 545, y: 80 }, thickness: 0.5, color: grey });
  const foot = [
    'Samsung Electronics GmbH  ·  Sitz: Schwalbach/Ts.  ·  Registergericht Königstein im Taunus',
    'Kundenservice: shop.samsung.com/de  ·  Seite 1 von 1',
  ];
  foot.forEach((f, i) => text(page, f, 50, 66 - i * 11, 7, reg, grey));
  return doc.save({ useObjectStreams: false });
}

// 4. Amazon.de invoice, rendered page in an image-only PDF ----------------------------------------
const MON = {
  retailer: 'Amazon',
  model: 'LS27C390EAUXEN',
  serial: 'H4ZN7PQB301846E',
  date: '2025-01-17',
  dateText: '17.01.2025',
};

async function amazonInvoicePng(): Promise<Buffer> {
  // A4 at 150 dpi.
  const W = 1240;
  const H = 1754;
  const L = 100;
  const R = W - 100;
  const el: string[] = [];
  const tx = (s: string, x: number, y: number, size = 22, opts = '') =>
    el.push(`<text x="${x}" y="${y}" font-size="${size}" ${opts}>${xml(s)}</text>`);
  const tr = (s: string, x: number, y: number, size = 22, opts = '') => tx(s, x, y, size, `text-anchor="end" ${opts}`);
  tx('amazon.de', L, 150, 54, 'font-weight="bold"');
  el.push(`<path d="M ${L + 4} 168 Q ${L + 120} 195 ${L + 230} 166" stroke="#f08804" stroke-width="6" fill="none"/>`);
  tr('Rechnung', R, 130, 40, 'font-weight="bold"');
  tr('Zahlung bereits erhalten', R, 168, 22);
  tx('Verkauft von Amazon EU S.à r.l.', L, 240, 22, 'font-weight="bold"');
  tx('38 avenue John F. Kennedy, L-1855 Luxemburg', L, 270, 20);

  const meta: Array<[string, string]> = [
    ['Rechnungsdatum:', MON.dateText],
    ['Bestelldatum:', MON.dateText],
    ['Rechnungsnummer:', 'DE42QKM118604'],
    ['Bestellnummer:', '304-5519027-8841136'],
    ['Lieferdatum:', '21.01.2025'],
  ];
  meta.forEach(([k, v], i) => {
    tx(k, 640, 240 + i * 32, 22, 'font-weight="bold"');
    tr(v, R, 240 + i * 32, 22);
  });
  tx('Rechnungsadresse', L, 430, 22, 'font-weight="bold"');
  ['Miriam Halbach', 'Gartenstraße 7', '79098 Freiburg im Breisgau', 'Deutschland'].forEach((s, i) => tx(s, L, 462 + i * 30, 22));
  tx('Lieferadresse', 500, 430, 22, 'font-weight="bold"');
  ['Miriam Halbach', 'Gartenstraße 7', '79098 Freiburg im Breisgau', 'Deutschland'].forEach((s, i) => tx(s, 500, 462 + i * 30, 22));

  // Table
  let y = 650;
  el.push(`<rect x="${L - 10}" y="${y - 30}" width="${R - L + 20}" height="44" fill="#e8e8e8"/>`);
  tx('Beschreibung', L, y, 20, 'font-weight="bold"');
  tx('Menge', 640, y, 20, 'font-weight="bold"');
  tr('Preis (netto)', 880, y, 20, 'font-weight="bold"');
  tr('USt.', 960, y, 20, 'font-weight="bold"');
  tr('Gesamt', R, y, 20, 'font-weight="bold"');
  y += 50;
  const desc = [
    'Samsung Essential Monitor S3 S39C,',
    '27 Zoll, Curved, VA-Panel, Full HD, 75 Hz',
    'ASIN: B0C4TQ7R2M',
    `Modell: ${MON.model}`,
    `Seriennummer: ${MON.serial}`,
  ];
  desc.forEach((s, i) => tx(s, L, y + i * 30, 22, i === 0 ? 'font-weight="bold"' : ''));
  tx('1', 660, y, 22);
  tr('125,20 €', 880, y, 22);
  tr('19 %', 960, y, 22);
  tr('148,99 €', R, y, 22);
  y += desc.length * 30 + 10;
  tx('Versandkosten', L, y, 22);
  tr('0,00 €', R, y, 22);
  y += 20;
  el.push(`<line x1="${L - 10}" y1="${y}" x2="${R + 10}" y2="${y}" stroke="#888" stroke-width="2"/>`);
  y += 40;
  const sums: Array<[string, string, boolean]> = [
    ['Zwischensumme (ohne USt.)', '125,20 €', false],
    ['USt. 19 %', '23,79 €', false],
    ['Rechnungsbetrag', '148,99 €', true],
  ];
  for (const [k, v, b] of sums) {
    tx(k, 640, y, 22, b ? 'font-weight="bold"' : '');
    tr(v, R, y, 22, b ? 'font-weight="bold"' : '');
    y += 34;
  }
  y += 40;
  tx('Zahlungsinformationen', L, y, 22, 'font-weight="bold"');
  tx(`Visa, endet mit 0932  ·  Belastet am ${MON.dateText}: 148,99 €`, L, y + 32, 22);
  y += 110;
  [
    'Bitte beachten Sie: Für dieses Gerät gilt die gesetzliche Gewährleistung sowie die',
    'Herstellergarantie des Herstellers. Diese Rechnung dient als Kaufnachweis.',
  ].forEach((s, i) => tx(s, L, y + i * 28, 20));
  el.push(`<line x1="${L}" y1="1610" x2="${R}" y2="1610" stroke="#aaa" stroke-width="1.5"/>`);
  tx('Amazon EU S.à r.l., Niederlassung Deutschland  ·  Marcel-Breuer-Str. 12, 80807 München', L, 1645, 17, 'fill="#555"');
  tx('Sitz: Luxemburg  ·  R.C.S. Luxembourg  ·  Seite 1 von 1', L, 1672, 17, 'fill="#555"');

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" xml:space="preserve">
<rect width="${W}" height="${H}" fill="#ffffff"/>
<g font-family="${SANS}" fill="#161616">${el.join('\n')}</g></svg>`;
  // Printed and scanned: slight skew, grey paper tone, soft blur.
  const page = await sharp(Buffer.from(svg)).png().toBuffer();
  return sharp(page)
    .rotate(0.35, { background: '#ffffff' })
    .resize(W, H, { fit: 'cover' })
    .blur(0.45)
    .linear(0.94, 10)
    .grayscale()
    .png({ compressionLevel: 9, palette: true, colours: 32, dither: 0 })
    .toBuffer();
}

async function imageOnlyPdf(png: Buffer): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setCreator('Scan to PDF');
  doc.setProducer('pdf-lib');
  doc.setCreationDate(SCAN_PDF_DATE);
  doc.setModificationDate(SCAN_PDF_DATE);
  // pdf-lib embeds RGB(A) PNGs; normalise to 8-bit RGB first.
  const rgbPng = await sharp(png).toColourspace('srgb').removeAlpha().png({ compressionLevel: 9 }).toBuffer();
  const img = await doc.embedPng(rgbPng);
  const page = doc.addPage([595.28, 841.89]);
  page.drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
  return doc.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------
// Claims manifest + expected outcomes
// ---------------------------------------------------------------------------------------------

interface Expected {
  claimId: string;
  file: string;
  scenario: string;
  receipt: {
    purchaseDate: string | null;
    retailer: string | null;
    model: string | null;
    serial: string | null;
    imei: string | null;
  };
  retailerAliases: string[];
  extendedWarranty: boolean;
  expected: {
    status: 'eligible' | 'not_eligible' | 'needs_review' | 'rejected_input';
    flags: string[];
    warranty: { family: string; months: number; expires: string; rule: string } | null;
    rules: string[];
  };
}

function manifests(): { claims: object[]; expected: Expected[] } {
  const claims: object[] = [];
  const expected: Expected[] = [];

  claims.push({
    file: 'photo-receipt.jpg',
    claimId: 'SAMPLE-001',
    imei: S24_IMEI,
    model: S24.model,
    purchaseDate: S24.date,
    country: 'DE',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-001',
    file: 'photo-receipt.jpg',
    scenario: 'clean',
    receipt: { purchaseDate: S24.date, retailer: S24.retailer, model: S24.model, serial: null, imei: S24_IMEI },
    retailerAliases: ['MediaMarkt', 'Media Markt', 'MEDIA MARKT'],
    extendedWarranty: false,
    expected: {
      status: 'eligible',
      flags: [],
      warranty: { family: 'phone', months: 24, expires: addMonths(S24.date, 24), rule: 'SM- phones: 24 m (policy-table value)' },
      rules: [],
    },
  });

  // Form serial typed with letter O instead of digit 0 (position 10): equal after normalisation.
  const typedSerial = BOOK3.serial.slice(0, 9) + 'O' + BOOK3.serial.slice(10);
  if (BOOK3.serial[9] !== '0') throw new Error('O/0 sample needs a 0 at index 9');
  claims.push({
    file: 'scan-receipt.png',
    claimId: 'SAMPLE-002',
    serial: typedSerial,
    model: BOOK3.model,
    purchaseDate: BOOK3.date,
    country: 'NO',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-002',
    file: 'scan-receipt.png',
    scenario: 'serial_o0_s5',
    receipt: { purchaseDate: BOOK3.date, retailer: BOOK3.retailer, model: BOOK3.model, serial: BOOK3.serial, imei: null },
    retailerAliases: ['Elkjøp', 'ELKJØP', 'Elkjop', 'Elkjøp Norge AS'],
    extendedWarranty: false,
    expected: {
      status: 'eligible',
      flags: [],
      warranty: { family: 'notebook', months: 24, expires: addMonths(BOOK3.date, 24), rule: 'notebooks 24 m' },
      rules: [],
    },
  });

  claims.push({
    file: 'invoice-text.pdf',
    claimId: 'SAMPLE-003',
    serial: TV.serial,
    model: TV.model,
    purchaseDate: TV.date,
    country: 'DE',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-003',
    file: 'invoice-text.pdf',
    scenario: 'tv_ext_samsung_shop',
    receipt: { purchaseDate: TV.date, retailer: TV.retailer, model: TV.model, serial: TV.serial, imei: null },
    retailerAliases: ['Samsung Shop', 'Samsung Online Shop', 'samsung.com', 'Samsung', 'Samsung Electronics GmbH'],
    extendedWarranty: true,
    expected: {
      status: 'eligible',
      flags: [],
      warranty: {
        family: 'tv',
        months: 60,
        expires: addMonths(TV.date, 60),
        rule: 'TV extended warranty: manufacturer shop + extension bought, service in DE: 24+36 m',
      },
      rules: [`without the extension the 24 m period would have ended ${addMonths(TV.date, 24)}`],
    },
  });

  // Form serial with two digits swapped: a real mismatch.
  const wrongSerial = MON.serial.replace('846E', '864E');
  claims.push({
    file: 'invoice-scan.pdf',
    claimId: 'SAMPLE-004',
    serial: wrongSerial,
    model: MON.model,
    purchaseDate: MON.date,
    country: 'DE',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-004',
    file: 'invoice-scan.pdf',
    scenario: 'serial_mismatch',
    receipt: { purchaseDate: MON.date, retailer: MON.retailer, model: MON.model, serial: MON.serial, imei: null },
    retailerAliases: ['Amazon', 'Amazon.de', 'amazon.de', 'Amazon EU S.à r.l.'],
    extendedWarranty: false,
    expected: {
      status: 'needs_review',
      flags: ['SERIAL_MISMATCH'],
      warranty: { family: 'monitor', months: 24, expires: addMonths(MON.date, 24), rule: 'monitors 24 m' },
      rules: [`form serial ${wrongSerial} != receipt serial ${MON.serial}`],
    },
  });

  claims.push({
    file: 'expired-receipt.png',
    claimId: 'SAMPLE-005',
    imei: S21_IMEI,
    model: S21.model,
    purchaseDate: S21.date,
    country: 'NO',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-005',
    file: 'expired-receipt.png',
    scenario: 'expired',
    receipt: { purchaseDate: S21.date, retailer: S21.retailer, model: S21.model, serial: null, imei: S21_IMEI },
    retailerAliases: ['Power', 'POWER', 'Power Norge AS'],
    extendedWarranty: false,
    expected: {
      status: 'not_eligible',
      flags: ['WARRANTY_EXPIRED'],
      warranty: { family: 'phone', months: 24, expires: addMonths(S21.date, 24), rule: 'SM- phones: 24 m (policy-table value)' },
      rules: [`period 24 m ended ${addMonths(S21.date, 24)}`],
    },
  });

  claims.push({
    file: 'corrupt.jpg',
    claimId: 'SAMPLE-006',
    model: 'SM-R940',
    purchaseDate: '2025-04-03',
    country: 'DE',
    claimDate: CLAIM_DATE,
  });
  expected.push({
    claimId: 'SAMPLE-006',
    file: 'corrupt.jpg',
    scenario: 'unreadable',
    receipt: { purchaseDate: null, retailer: null, model: null, serial: null, imei: null },
    retailerAliases: [],
    extendedWarranty: false,
    expected: { status: 'rejected_input', flags: ['UNREADABLE_DOCUMENT'], warranty: null, rules: ['truncated JPEG'] },
  });

  return { claims, expected };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const slipStyle: SlipStyle = { width: 1000, fontSize: 36, font: MONO, paper: '#f4f2ec', ink: '#1c1c1c', margin: 42 };

  const photo = await photograph(await renderSlip(mediaMarktSlip(), slipStyle), {
    width: 1400,
    height: 2400,
    angle: 3.5,
    seed: 101,
    quality: 85,
    exif: { Make: 'samsung', Model: 'SM-A556B', Software: 'A556BXXS4AYB1', DateTime: '2025:05:30 18:41:07' },
  });
  await writeFile(join(OUT, 'photo-receipt.jpg'), photo);

  const scanStyle: SlipStyle = { ...slipStyle, width: 900, fontSize: 34, paper: '#ffffff', ink: '#111111' };
  await writeFile(
    join(OUT, 'scan-receipt.png'),
    await scan(await renderSlip(elkjopSlip(), scanStyle), { width: 1100, height: 1900, angle: -0.5, seed: 202 }),
  );
  await writeFile(
    join(OUT, 'expired-receipt.png'),
    await scan(await renderSlip(powerSlip(), scanStyle), { width: 1100, height: 1580, angle: 0.6, seed: 606 }),
  );

  await writeFile(join(OUT, 'invoice-text.pdf'), await samsungInvoicePdf());
  await writeFile(join(OUT, 'invoice-scan.pdf'), await imageOnlyPdf(await amazonInvoicePng()));

  // A real, complete JPEG (a different slip than any other sample), cut to its first 40 %.
  const whole = await sharp(await renderSlip(saturnSlip(), slipStyle))
    .flatten({ background: '#f4f2ec' })
    .jpeg({ quality: 85, progressive: false })
    .toBuffer();
  await writeFile(join(OUT, 'corrupt.jpg'), whole.subarray(0, Math.floor(whole.length * 0.4)));

  const { claims, expected } = manifests();
  await writeFile(join(OUT, 'claims.ndjson'), claims.map((x) => JSON.stringify(x)).join('\n') + '\n');
  await writeFile(join(OUT, 'expected.ndjson'), expected.map((x) => JSON.stringify(x)).join('\n') + '\n');
  console.log(`wrote ${claims.length} claims and their files to ${OUT}`);
}

await main();
