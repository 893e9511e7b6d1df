import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import type { FontRole, Page } from './layouts.js';

/**
 * Fonts shipped as npm packages (@fontsource/*), drawn as SVG paths, so a page looks the same on
 * every machine whatever fonts its system has. VT323 (a dot-matrix look) has no bold cut.
 */
export const FONT_FAMILIES: Record<FontRole, string[]> = {
  mono: ['fira-mono', 'courier-prime', 'vt323', 'roboto-mono', 'inconsolata'],
  sans: ['roboto', 'open-sans', 'lato', 'roboto-condensed'],
  serif: ['merriweather'],
};

const require = createRequire(import.meta.url);
const fonts = new Map<string, fontkit.Font>();

function loadFont(family: string, bold: boolean): fontkit.Font {
  const weight = bold && family !== 'vt323' ? 700 : 400;
  const key = `${family}-${weight}`;
  let font = fonts.get(key);
  if (!font) {
    const file = require.resolve(`@fontsource/${family}/files/${family}-latin-${weight}-normal.woff`);
    font = fontkit.create(readFileSync(file)) as fontkit.Font;
    fonts.set(key, font);
  }
  return font;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page as SVG: every glyph a path (defined once, placed with <use>), nothing left to system fonts. */
export function pageSvg(page: Page, family: string): string {
  const defs = new Map<string, string>();
  const body: string[] = [`<rect width="${page.width}" height="${page.height}" fill="${page.paper}"/>`];
  for (const el of page.elements) {
    if (el.type === 'rect') {
      body.push(
        `<rect x="${el.x.toFixed(1)}" y="${el.y.toFixed(1)}" width="${el.width.toFixed(1)}" height="${el.height.toFixed(1)}" fill="${el.fill}"/>`,
      );
      continue;
    }
    if (el.type === 'line') {
      body.push(`<line x1="${el.x1}" y1="${el.y1}" x2="${el.x2}" y2="${el.y2}" stroke="${el.color}" stroke-width="${el.width}"/>`);
      continue;
    }
    const font = loadFont(family, el.bold ?? false);
    const run = font.layout(el.text);
    const k = el.size / font.unitsPerEm;
    const advance = run.advanceWidth * k;
    let x = el.x - (el.anchor === 'end' ? advance : el.anchor === 'middle' ? advance / 2 : 0);
    const uses: string[] = [];
    run.glyphs.forEach((glyph, i) => {
      const position = run.positions[i]!;
      const id = `${family}${el.bold ? 'b' : 'r'}${glyph.id}`;
      if (!defs.has(id)) defs.set(id, `<path id="${id}" d="${glyph.path.toSVG()}"/>`);
      if (glyph.path.commands.length > 0)
        uses.push(
          `<use href="#${id}" transform="translate(${(x + position.xOffset * k).toFixed(2)} ${el.y.toFixed(2)}) scale(${k.toFixed(5)} ${(-k).toFixed(5)})"/>`,
        );
      x += position.xAdvance * k;
    });
    body.push(`<g fill="${el.color ?? '#111111'}">${uses.join('')}</g>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${page.width}" height="${page.height}"><title>${escapeXml(family)}</title><defs>${[...defs.values()].join('')}</defs>${body.join('')}</svg>`;
}

/** The page rasterised at `scale` (1 = its own pixel size), RGB, as uncompressed PNG for the next step. */
export async function rasterise(page: Page, family: string, scale: number): Promise<Buffer> {
  return sharp(Buffer.from(pageSvg(page, family)), { density: 72 * scale })
    .flatten({ background: page.paper })
    .removeAlpha()
    .png({ compressionLevel: 0 })
    .toBuffer();
}

const STANDARD_FONTS: Record<FontRole, [StandardFonts, StandardFonts]> = {
  mono: [StandardFonts.Courier, StandardFonts.CourierBold],
  sans: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  serif: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
};

function hexColour(hex: string) {
  const n = parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/**
 * The page as a PDF with a text layer, as a shop's invoicing system writes one: PDF standard fonts
 * (Helvetica, Times, Courier), A4 wide, metadata dated `created` (never the clock).
 */
export async function textPdf(page: Page, created: Date, producer: string): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setProducer(producer);
  pdf.setCreator(producer);
  pdf.setCreationDate(created);
  pdf.setModificationDate(created);
  const k = 595.28 / page.width;
  const out = pdf.addPage([595.28, page.height * k]);
  const H = page.height * k;
  const [regular, bold] = await Promise.all(STANDARD_FONTS[page.role].map((f) => pdf.embedFont(f)));
  for (const el of page.elements) {
    if (el.type === 'rect')
      out.drawRectangle({
        x: el.x * k,
        y: H - (el.y + el.height) * k,
        width: el.width * k,
        height: el.height * k,
        color: hexColour(el.fill),
      });
    else if (el.type === 'line')
      out.drawLine({
        start: { x: el.x1 * k, y: H - el.y1 * k },
        end: { x: el.x2 * k, y: H - el.y2 * k },
        thickness: el.width * k,
        color: hexColour(el.color),
      });
    else {
      const font = el.bold ? bold! : regular!;
      const size = el.size * k;
      const width = font.widthOfTextAtSize(el.text, size);
      const x = el.x * k - (el.anchor === 'end' ? width : el.anchor === 'middle' ? width / 2 : 0);
      out.drawText(el.text, { x, y: H - el.y * k, size, font, color: hexColour(el.color ?? '#111111') });
    }
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** An image-only PDF: the scan as the page's only content, A4 (or the image's own shape when longer). */
export async function imagePdf(image: Buffer, format: 'jpeg' | 'png', created: Date, producer: string): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setProducer(producer);
  pdf.setCreator(producer);
  pdf.setCreationDate(created);
  pdf.setModificationDate(created);
  const embedded = format === 'jpeg' ? await pdf.embedJpg(image) : await pdf.embedPng(image);
  const width = 595.28;
  const height = Math.max(841.89, (embedded.height / embedded.width) * width);
  const out = pdf.addPage([width, height]);
  const drawnHeight = (embedded.height / embedded.width) * width;
  out.drawImage(embedded, { x: 0, y: height - drawnHeight, width, height: drawnHeight });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
