/**
 * Generates the device-label samples in this folder (tools/corpus/label.ts: real barcodes drawn by
 * zxing-wasm's writer, photographed by the corpus's camera model). Deterministic: fixed seeds.
 *
 *   npx tsx samples/labels/make-labels.ts
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelImage, planLabel, type LabelCapture, type LabelSymbology } from '../../tools/corpus/label.js';

const OUT = dirname(fileURLToPath(import.meta.url));

const SAMPLES: Array<{
  file: string;
  seed: number;
  symbology: LabelSymbology;
  capture: LabelCapture;
  quarterTurn?: boolean;
  damaged?: boolean;
}> = [
  { file: 'label-code128.png', seed: 18_001, symbology: 'code128', capture: 'flat' },
  { file: 'label-datamatrix-photo.jpg', seed: 18_002, symbology: 'datamatrix-gs1', capture: 'messenger' },
  { file: 'label-qr-turned-photo.jpg', seed: 18_003, symbology: 'qr', capture: 'messenger', quarterTurn: true },
  { file: 'label-damaged-photo.jpg', seed: 18_004, symbology: 'code128', capture: 'messenger', damaged: true },
];

const truth: string[] = [];
for (const sample of SAMPLES) {
  const plan = planLabel(sample.seed, { symbology: sample.symbology, damaged: sample.damaged ?? false });
  const image = await labelImage(sample.seed, plan, sample.capture, { quarterTurn: sample.quarterTurn ?? false });
  await writeFile(join(OUT, sample.file), image.bytes);
  truth.push(JSON.stringify({ file: sample.file, capture: sample.capture, quarterTurn: sample.quarterTurn ?? false, ...plan }));
}
await writeFile(join(OUT, 'labels.ndjson'), truth.join('\n') + '\n');
