/**
 * npx tsx tools/corpus/labels.ts --seed 1 --count 40 [--capture camera|messenger|flat] [--on-box] [--out <folder>]
 *
 * Generates device-label images with real barcodes (tools/corpus/label.ts) and runs each through the
 * pipeline's own normalising and barcode decoding, then extraction from the decoded barcodes alone:
 * prints the decode rate (the serial and IMEI recovered exactly) and the decoding time per image.
 * Every fourth label is photographed on its side; `--on-box`: stuck on the box's face, so a third to
 * two thirds of the frame wide. `--out` keeps the images and a truth.ndjson beside them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { documentBarcodes } from '../../src/barcodes/page-barcodes.js';
import { documentPages } from '../../src/documents/document-pages.js';
import { extract } from '../../src/extract/extract.js';
import { normaliseDocument } from '../../src/imaging/normalise-document.js';
import { InputRejectedError } from '../../src/errors/input-rejected-error.js';
import { intakeDocument } from '../../src/intake/intake.js';
import { loadConfig } from '../../src/config/env.js';
import { labelImage, planLabel, type LabelCapture } from './label.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '40' },
    capture: { type: 'string', default: 'camera' },
    'on-box': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const capture = values.capture as LabelCapture;
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1 || !['flat', 'camera', 'messenger'].includes(capture)) {
  process.stderr.write(
    'usage: npx tsx tools/corpus/labels.ts --seed <integer> --count <n> [--capture camera|messenger|flat] [--out <folder>]\n',
  );
  process.exit(2);
}
if (values.out) await mkdir(values.out, { recursive: true });
const { limits } = loadConfig();

const rows: string[] = [];
let serials = 0;
let imeis = 0;
let refused = 0;
const times: number[] = [];
for (let i = 0; i < count; i++) {
  const labelSeed = seed * 100_000 + i;
  const plan = planLabel(labelSeed);
  const image = await labelImage(labelSeed, plan, capture, { quarterTurn: i % 4 === 3, onBox: values['on-box'] });
  const doc = await intakeDocument(image.bytes, limits, () => {
    throw new Error('labels are images');
  });
  const file = `label-${String(i).padStart(3, '0')}-${plan.symbology}.${image.type === 'jpeg' ? 'jpg' : 'png'}`;
  if (values.out) await writeFile(join(values.out, file), image.bytes);
  const pages = await normaliseDocument(await documentPages(doc, image.bytes, null), limits).catch((error: unknown) => {
    if (error instanceof InputRejectedError) return error;
    throw error;
  });
  if (pages instanceof InputRejectedError) {
    // The quality gate refuses the photo before anything is read from it, barcodes included.
    refused++;
    rows.push(JSON.stringify({ file, ...plan, refused: pages.message }));
    continue;
  }
  const started = performance.now();
  const barcodes = await documentBarcodes(pages, limits.maxPixels);
  times.push(performance.now() - started);
  const fields = extract({ source: 'ocr', pages: [], confidence: 0, barcodes });
  const serialOk = fields.serial.value === plan.serial;
  const imeiOk = fields.imei.value === plan.imei;
  serials += Number(serialOk);
  imeis += Number(imeiOk);
  rows.push(
    JSON.stringify({ file, ...plan, quarterTurn: i % 4 === 3, decoded: barcodes.map((b) => `${b.format}: ${b.text}`), serialOk, imeiOk }),
  );
}
if (values.out) await writeFile(join(values.out, 'truth.ndjson'), rows.join('\n') + '\n');
times.sort((a, b) => a - b);
const pct = (n: number) => `${((100 * n) / count).toFixed(0)} %`;
process.stdout.write(
  `${count} ${capture} label images${values['on-box'] ? ' on a box' : ''} (seed ${seed}): serial decoded ${serials} (${pct(serials)}), IMEI decoded ${imeis} (${pct(imeis)}), refused by the quality gate ${refused}; ` +
    `decoding per image median ${times[Math.floor(count / 2)]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms\n`,
);
