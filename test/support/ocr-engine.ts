import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TesseractEngine } from '../../src/ocr/tesseract-engine.js';

/** A one-worker OCR pool with its language data in a folder of its own, removed on stop. */
export async function startTestOcr(): Promise<{ ocr: TesseractEngine; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ocr-'));
  const ocr = await TesseractEngine.start({ workers: 1, languageDataDir: path.join(dataDir, 'tessdata') });
  return {
    ocr,
    stop: async () => {
      await ocr.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
