import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { planClaims, type ClaimPlan, type DocumentKind } from './claims.js';
import { receiptContent, type ReceiptContent } from './content.js';
import { agePaper, cameraPhoto, faxCopy, flatbedScan, messengerForward, saveCameraJpeg, type PaperLook } from './degrade.js';
import { invoicePage, onlinePage, slipPage, type Page } from './layouts.js';
import { SeededRandom } from '../lib/random.js';
import { imagePdf, rasterise, textPdf } from './render.js';

export interface GeneratedFile {
  name: string;
  bytes: Buffer;
  /** How the file was made, for the truth's `doc`. */
  made: Record<string, unknown>;
}

/** The receipt's content and page, drawn from the stream of the claim whose receipt it is. */
export function receiptPage(seed: number, plan: ClaimPlan): { content: ReceiptContent; page: Page } {
  const rng = SeededRandom.forClaim(seed, plan.contentOf, 'content');
  const content = receiptContent(rng, {
    layout: plan.layout,
    product: plan.product,
    retailer: plan.retailer,
    facts: plan.facts,
    city: plan.city,
  });
  const page =
    plan.layout === 'slip'
      ? slipPage(content, rng)
      : plan.layout === 'invoice'
        ? invoicePage(content, rng, plan.fontRole)
        : onlinePage(content, rng, plan.layout, plan.fontRole);
  return { content, page };
}

const stamp = (date: string) => date.replace(/-/g, '');
const pdfDate = (date: string, rng: SeededRandom) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + rng.int(8, 20) * 3_600_000 + rng.int(0, 3599) * 1000);

/** A file name as the customer's device or the shop would give it; the claim number keeps it unique. */
function fileName(kind: DocumentKind, plan: ClaimPlan, rng: SeededRandom, extension: string): string {
  const n = String(plan.index + 1).padStart(4, '0');
  const day = stamp(plan.form.claimDate);
  const time = `${String(rng.int(7, 22)).padStart(2, '0')}${String(rng.int(0, 59)).padStart(2, '0')}${n.slice(-2)}`;
  switch (kind) {
    case 'pdf_text':
      return `${rng.pick(['Rechnung', 'Invoice', 'Faktura', 'Lasku', 'Factuur', 'order'])}_${rng.digits(6)}${n}.pdf`;
    case 'scan':
      return rng.chance(0.5) ? `Scan_${plan.form.claimDate}_${n}.png` : `scan${n}.png`;
    case 'pdf_scan':
      return rng.chance(0.5) ? `scan${rng.digits(2)}${n}.pdf` : `Scan_${plan.form.claimDate}_${n}.pdf`;
    case 'photo':
      return rng
        .pick([`IMG_${day}_${time}.jpg`, `PXL_${day}_${time}${rng.digits(3)}.jpg`, `${day}_${time}.jpg`])
        .replace('.jpg', `_${n}.jpg`);
    case 'messenger_photo':
      return `IMG-${day}-WA${n}.jpg`;
    case 'fax':
      return `fax_${day}_${n}.${extension}`;
    case 'screenshot':
      return `Screenshot_${day}-${time}_${n}.${extension}`;
  }
}

/** The upload for one claim: the page printed, aged and captured the way its document kind says. */
export async function documentFile(seed: number, plan: ClaimPlan): Promise<GeneratedFile> {
  const rng = SeededRandom.forClaim(seed, plan.index, 'document');
  const { page } = receiptPage(seed, plan);
  const created = plan.facts.purchaseDate ?? plan.form.claimDate;
  switch (plan.kind) {
    case 'pdf_text': {
      const bytes = await textPdf(
        page,
        pdfDate(created, rng),
        rng.pick(['wkhtmltopdf 0.12.6', 'SAP NetWeaver', 'Microsoft Dynamics 365', 'JasperReports Library']),
      );
      return { name: fileName('pdf_text', plan, rng, 'pdf'), bytes, made: {} };
    }
    case 'screenshot': {
      const png = await rasterise(page, plan.fontFamily, 1);
      const jpeg = rng.chance(0.3);
      const bytes = await (jpeg ? sharp(png).jpeg({ quality: rng.int(85, 95) }) : sharp(png).png()).toBuffer();
      return { name: fileName('screenshot', plan, rng, jpeg ? 'jpg' : 'png'), bytes, made: { format: jpeg ? 'jpg' : 'png' } };
    }
    case 'fax': {
      const printed = await rasterise(page, plan.fontFamily, plan.layout === 'slip' ? 1.3 : 1.2);
      const fax = await faxCopy(printed, rng);
      if (rng.chance(0.4)) {
        const bytes = await imagePdf(fax, 'png', pdfDate(plan.form.claimDate, rng), 'Fax2Mail');
        return { name: fileName('fax', plan, rng, 'pdf'), bytes, made: { format: 'pdf' } };
      }
      return { name: fileName('fax', plan, rng, 'png'), bytes: fax, made: { format: 'png' } };
    }
    default:
      return capturedPaper(rng, plan, page);
  }
}

/** Paper documents: printed, aged, then scanned, put in a PDF, photographed or photographed and forwarded. */
async function capturedPaper(rng: SeededRandom, plan: ClaimPlan, page: Page): Promise<GeneratedFile> {
  const slip = plan.layout === 'slip';
  const look: PaperLook = {
    yellowed: slip ? rng.chance(0.35) : rng.chance(0.1),
    faded: slip && rng.chance(0.25),
    crumpled: plan.kind === 'photo' || plan.kind === 'messenger_photo' ? rng.chance(slip ? 0.4 : 0.2) : false,
  };
  const scale = plan.kind === 'scan' || plan.kind === 'pdf_scan' ? (slip ? 1.3 : 1.4) : slip ? 1.6 : 1.5;
  const printed = await agePaper(await rasterise(page, plan.fontFamily, scale), look, rng);
  const made = { ...look } as Record<string, unknown>;
  switch (plan.kind) {
    case 'scan': {
      const bytes = await flatbedScan(printed, rng, 1.5);
      return { name: fileName('scan', plan, rng, 'png'), bytes, made };
    }
    case 'pdf_scan': {
      const scanned = await flatbedScan(printed, rng, 3);
      const jpeg = rng.chance(0.6);
      const image = jpeg
        ? await sharp(scanned)
            .jpeg({ quality: rng.int(70, 90) })
            .toBuffer()
        : scanned;
      const bytes = await imagePdf(
        image,
        jpeg ? 'jpeg' : 'png',
        pdfDate(plan.form.claimDate, rng),
        rng.pick(['Canon MF Scan Utility', 'HP Scan', 'Epson Scan 2', 'NAPS2']),
      );
      return { name: fileName('pdf_scan', plan, rng, 'pdf'), bytes, made: { ...made, embedded: jpeg ? 'jpeg' : 'png' } };
    }
    case 'photo': {
      const shot = await cameraPhoto(printed, rng);
      return { name: fileName('photo', plan, rng, 'jpg'), bytes: await saveCameraJpeg(shot, rng, plan.form.claimDate), made };
    }
    default: {
      const shot = await cameraPhoto(printed, rng);
      return { name: fileName('messenger_photo', plan, rng, 'jpg'), bytes: await messengerForward(shot, rng), made };
    }
  }
}

/** The truth line for a claim, in claims-dev's layout (see its README) plus `documentKind`. */
export function truthLine(
  plan: ClaimPlan,
  file: string,
  content: ReceiptContent,
  made: Record<string, unknown>,
  bytes: number,
): Record<string, unknown> {
  return {
    claimId: plan.claimId,
    file,
    scenario: plan.scenario,
    family: 'corpus',
    documentKind: plan.kind,
    receipt: {
      purchaseDate: plan.facts.purchaseDate,
      retailer: plan.retailer.name,
      model: plan.facts.model,
      serial: plan.facts.serial,
      imei: plan.facts.imei,
    },
    retailerAliases: [plan.retailer.name, ...plan.retailer.aliases, plan.retailer.legalEntity],
    extendedWarranty: plan.facts.extension,
    expected: { ...plan.expected, policy: 'corpus-oracle-1 (docs/warranty-rules.md §4)' },
    doc: {
      kind: plan.layout === 'slip' ? 'slip' : plan.layout === 'invoice' ? 'invoice' : plan.layout,
      layout: plan.layout,
      font: plan.kind === 'pdf_text' ? `pdf-standard-${plan.fontRole}` : plan.fontFamily,
      mode: plan.kind,
      lang: plan.retailer.language,
      dateFormat: content.dateFormat,
      dateText: content.dateText,
      country: plan.retailer.country,
      currency: content.currency,
      bytes,
      ...(plan.sameBytes ? { how: `the file of ${plan.duplicateOf} uploaded again` } : {}),
      ...made,
    },
    product: { model: plan.product.model, family: plan.product.family, serial: plan.unit.serial, imei: plan.unit.imei },
    ...(plan.duplicateOf ? { duplicateOf: plan.duplicateOf } : {}),
    ...(plan.duplicateSerialOf ? { duplicateSerialOf: plan.duplicateSerialOf } : {}),
  };
}

/** The manifest line: the claim form as the customer typed it, and the document kind for per-kind figures. */
export function manifestLine(plan: ClaimPlan, file: string): Record<string, unknown> {
  return { file, claimId: plan.claimId, documentKind: plan.kind, ...plan.form };
}

/**
 * Writes `count` claims made from `seed` to `out`: files/, manifest.ndjson, truth.ndjson. The same
 * seed and count give byte-identical output.
 */
export async function generateCorpus(options: {
  seed: number;
  count: number;
  out: string;
  onClaim?: (done: number) => void;
}): Promise<void> {
  const plans = planClaims(options.seed, options.count);
  await mkdir(path.join(options.out, 'files'), { recursive: true });
  // Two claims in flight: one drawing in JavaScript while sharp works on the other. File paths,
  // not bytes, are kept: a thousand photos would not fit in memory.
  const files = new Map<number, Promise<{ file: string; bytes: number; made: Record<string, unknown> }>>();
  const make = async (plan: ClaimPlan) => {
    if (plan.sameBytes) {
      const earlier = await files.get(plan.contentOf)!;
      const file = `files/${plan.claimId}-${path.basename(earlier.file)}`;
      const bytes = await readFile(path.join(options.out, earlier.file));
      await writeFile(path.join(options.out, file), bytes);
      return { file, bytes: bytes.length, made: {} };
    }
    const generated = await documentFile(options.seed, plan);
    const file = `files/${generated.name}`;
    await writeFile(path.join(options.out, file), generated.bytes);
    return { file, bytes: generated.bytes.length, made: generated.made };
  };
  const manifest: string[] = [];
  const truth: string[] = [];
  for (const [i, plan] of plans.entries()) {
    files.set(plan.index, make(plan));
    if (i === 0) continue;
    const previous = plans[i - 1]!;
    manifest.push(await lineFor(previous));
  }
  manifest.push(await lineFor(plans.at(-1)!));
  await writeFile(path.join(options.out, 'manifest.ndjson'), `${manifest.join('\n')}\n`);
  await writeFile(path.join(options.out, 'truth.ndjson'), `${truth.join('\n')}\n`);

  async function lineFor(plan: ClaimPlan): Promise<string> {
    const { file, bytes, made } = await files.get(plan.index)!;
    truth.push(JSON.stringify(truthLine(plan, file, receiptPage(options.seed, plan).content, made, bytes)));
    options.onClaim?.(plan.index + 1);
    return JSON.stringify(manifestLine(plan, file));
  }
}
