import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp, { type OverlayOptions } from 'sharp';
import { prepareZXingModule, writeBarcode, type WriterOptions } from 'zxing-wasm/writer';
import { PRODUCTS } from './catalogue.js';
import { cameraPhoto, messengerForward, saveCameraJpeg } from './degrade.js';
import { imeiNumber, serialNumber } from './identifiers.js';
import type { Element, Page } from './layouts.js';
import { rasterise } from './render.js';
import { SeededRandom } from '../lib/random.js';

/**
 * Device labels (the sticker on a phone's box or under its tray) with real barcodes, drawn by
 * zxing-wasm's writer, then optionally photographed with the corpus's camera model. Deterministic
 * from the seed: the same seed gives the same bytes.
 */

/** How the label encodes its numbers, as Samsung's box labels and other makers' do. */
export const LABEL_SYMBOLOGIES = ['code128', 'datamatrix-gs1', 'qr'] as const;
export type LabelSymbology = (typeof LABEL_SYMBOLOGIES)[number];

export interface LabelPlan {
  model: string;
  serial: string;
  imei: string;
  symbology: LabelSymbology;
  /** A stripe of the label scraped off across its codes: they must decode to nothing. */
  damaged: boolean;
}

export interface LabelImage {
  plan: LabelPlan;
  /** The label as printed (PNG), or its photo (JPEG) when photographed. */
  bytes: Buffer;
  type: 'png' | 'jpeg';
}

const require = createRequire(import.meta.url);
prepareZXingModule({
  overrides: {
    wasmBinary: new Uint8Array(readFileSync(require.resolve('zxing-wasm/writer/zxing_writer.wasm'))).buffer,
    locateFile: () => require.resolve('zxing-wasm/writer/zxing_writer.wasm'),
  },
});

export function planLabel(seed: number, options: { symbology?: LabelSymbology; damaged?: boolean } = {}): LabelPlan {
  const rng = SeededRandom.forClaim(seed, 0, 'label');
  const phones = PRODUCTS.filter((p) => p.family === 'phone');
  const product = rng.pick(phones);
  return {
    model: product.model,
    serial: serialNumber(rng, 'phone', product.released),
    imei: imeiNumber(rng),
    symbology: options.symbology ?? rng.pick(LABEL_SYMBOLOGIES),
    damaged: options.damaged ?? false,
  };
}

/** A GTIN-14 with its GS1 check digit: the product's number in (01) of a GS1 DataMatrix. */
function gtin(rng: SeededRandom): string {
  const body = `0880609${rng.digits(6)}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

async function symbol(text: string, options: WriterOptions): Promise<Buffer> {
  const written = await writeBarcode(text, { addQuietZones: true, ...options });
  if (!written.image) throw new Error(`zxing-wasm could not write ${options.format} "${text}": ${written.error}`);
  return Buffer.from(await written.image.arrayBuffer());
}

/**
 * The label as printed: text lines on the left, codes on the right, at about 300 dpi, with a margin
 * wider than the codes' quiet zones, as real labels have (a photo's tilt must not run a scan line
 * from the bars straight onto the table).
 */
export async function labelPng(seed: number, plan: LabelPlan): Promise<Buffer> {
  const rng = SeededRandom.forClaim(seed, 0, 'label-draw');
  const width = 1180;
  const height = 560;
  const text = (y: number, value: string, size: number, bold = false): Element => ({ type: 'text', x: 70, y, text: value, size, bold });
  const elements: Element[] = [
    text(70, 'SAMSUNG', 44, true),
    text(140, `Model: ${plan.model}`, 30),
    text(200, `S/N: ${plan.serial}`, 30),
    text(260, `IMEI: ${plan.imei}`, 30),
    text(320, 'Made in Vietnam', 24),
  ];
  const page: Page = { width, height, paper: '#ffffff', role: 'sans', elements };
  const overlays: OverlayOptions[] = [];
  if (plan.symbology === 'code128') {
    overlays.push({ input: await symbol(plan.serial, { format: 'Code128', scale: 3 }), left: 70, top: 350 });
    overlays.push({ input: await symbol(plan.imei, { format: 'Code128', scale: 3 }), left: 620, top: 350 });
  } else if (plan.symbology === 'datamatrix-gs1') {
    const payload = `(01)${gtin(rng)}(21)${plan.serial}`;
    overlays.push({ input: await symbol(payload, { format: 'DataMatrix', options: 'gs1', scale: 8 }), left: 820, top: 60 });
    overlays.push({ input: await symbol(plan.imei, { format: 'Code128', scale: 3 }), left: 70, top: 350 });
  } else {
    const payload = `MODEL:${plan.model};SN:${plan.serial};IMEI1:${plan.imei}`;
    overlays.push({ input: await symbol(payload, { format: 'QRCode', scale: 6 }), left: 840, top: 50 });
  }
  let label = await sharp(await rasterise(page, 'roboto', 1))
    .composite(overlays)
    .png()
    .toBuffer();
  if (plan.damaged) {
    // Scrapes through every code, wider than its error correction mends: a linear code loses whole
    // bars (a scan line anywhere crosses the gap), a matrix code most of its modules.
    const scrape = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g fill="#ffffff">` +
        `<rect x="${width * 0.24}" y="335" width="60" height="${height - 335}"/><rect x="${width * 0.64}" y="335" width="60" height="${height - 335}"/>` +
        `<rect x="${width * 0.69}" y="30" width="${width * 0.31}" height="${height * 0.4}"/></g></svg>`,
    );
    label = await sharp(label)
      .composite([{ input: scrape }])
      .png()
      .toBuffer();
  }
  return label;
}

/**
 * How the label reaches us: as drawn, or photographed on a table (perspective, a turn of up to 7°,
 * light fall-off, blur, noise) as `cameraPhoto` does a receipt, saved by the camera or forwarded
 * through a messenger app (about 1400 px, JPEG quality 50–65).
 */
export type LabelCapture = 'flat' | 'camera' | 'messenger';

export interface LabelCaptureOptions {
  /** Turned on its side first (a box photographed lying down). */
  quarterTurn?: boolean;
  /**
   * Stuck on the face of the device's box, which fills the photo instead of the label: the label is
   * then a third to two thirds of the frame's width, its codes that much smaller.
   */
  onBox?: boolean;
}

/** The label as captured. */
export async function labelImage(
  seed: number,
  plan: LabelPlan,
  capture: LabelCapture,
  options: LabelCaptureOptions = {},
): Promise<LabelImage> {
  let png = await labelPng(seed, plan);
  if (options.onBox) png = await onBoxFace(png, SeededRandom.forClaim(seed, 0, 'label-box'));
  if (options.quarterTurn) png = await sharp(png).rotate(90).png().toBuffer();
  if (capture === 'flat') return { plan, bytes: png, type: 'png' };
  const rng = SeededRandom.forClaim(seed, 0, 'label-photo');
  const shot = await cameraPhoto(png, rng);
  const bytes = capture === 'camera' ? await saveCameraJpeg(shot, rng, '2025-03-01') : await messengerForward(shot, rng);
  return { plan, bytes, type: 'jpeg' };
}

/** The label on a box face (white or black printed card) with margins of its own, placed at random. */
async function onBoxFace(label: Buffer, rng: SeededRandom): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(label).metadata();
  const share = rng.range(0.35, 0.65);
  const faceWidth = Math.round(width / share);
  const faceHeight = Math.round(faceWidth * rng.range(0.7, 1.3));
  const face = rng.pick(['#f4f4f2', '#e9e6df', '#1d1d1f', '#2b2f36']);
  return sharp({ create: { width: faceWidth, height: Math.max(faceHeight, height + 40), channels: 3, background: face } })
    .composite([{ input: label, left: rng.int(20, faceWidth - width - 20), top: rng.int(20, Math.max(20, faceHeight - height - 20)) }])
    .png()
    .toBuffer();
}
