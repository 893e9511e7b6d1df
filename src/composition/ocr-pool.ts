import path from 'node:path';
import type { Config } from '../config/env.js';
import { TesseractEngine } from '../ocr/tesseract-engine.js';

/** The configured OCR pool: `WARRANTY_OCR_WORKERS` threads, language data gathered under `<data-dir>/tessdata`. */
export function startOcrPool(config: Pick<Config, 'ocrWorkers' | 'dataDir'>): Promise<TesseractEngine> {
  return TesseractEngine.start({ workers: config.ocrWorkers, languageDataDir: path.join(config.dataDir, 'tessdata') });
}
