import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type Tesseract from 'tesseract.js';
import { afterAll, describe, expect, it } from 'vitest';
import { TesseractEngine, type OcrWorker } from '../../../src/ocr/tesseract-engine.js';

/** A stand-in worker that "reads" the text a test image carries, and refuses work once terminated. */
class FakeWorker implements OcrWorker {
  static all: FakeWorker[] = [];
  pages: string[] = [];
  terminated = false;

  constructor(private readonly failOn: string | null = null) {
    FakeWorker.all.push(this);
  }

  recognize(image: Tesseract.ImageLike): Promise<Tesseract.RecognizeResult> {
    const text = (image as Buffer).toString();
    if (this.terminated) return Promise.reject(new Error('page sent to a terminated worker'));
    if (text === this.failOn) return Promise.reject(new Error(`cannot read ${text}`));
    this.pages.push(text);
    const bbox = { x0: 0, y0: 0, x1: 10, y1: 10 };
    const line = { bbox, confidence: 90, words: [{ text, bbox, confidence: 90 }] };
    return Promise.resolve({ data: { blocks: [{ paragraphs: [{ lines: [line] }] }] } } as unknown as Tesseract.RecognizeResult);
  }

  terminate(): Promise<Tesseract.ConfigResult> {
    this.terminated = true;
    return Promise.resolve({} as Tesseract.ConfigResult);
  }
}

const page = (text: string) => Buffer.from(text);
const size = { width: 10, height: 10 };
const textOf = (read: { lines: Array<{ text: string }> }) => read.lines.map((l) => l.text).join('\n');

describe('OCR worker recycling', () => {
  it('replaces each worker after its share of pages, and every page is read once, by a live worker', async () => {
    FakeWorker.all = [];
    const engine = new TesseractEngine(() => Promise.resolve(new FakeWorker()), { workers: 2, pagesPerWorker: 3 });
    const texts = Array.from({ length: 13 }, (_, i) => `page ${i + 1}`);
    const read = await Promise.all(texts.map((text, i) => engine.recognize(page(text), i + 1, size)));

    expect(read.map(textOf)).toEqual(texts);
    expect(read.map((p) => p.number)).toEqual(texts.map((_, i) => i + 1));
    expect(FakeWorker.all.flatMap((w) => w.pages).sort()).toEqual([...texts].sort());
    for (const worker of FakeWorker.all) expect(worker.pages.length).toBeLessThanOrEqual(3);
    // 13 pages at 3 a worker: 5 workers, the four that read 3 pages retired.
    expect(engine.workersStarted).toBe(5);
    expect(FakeWorker.all.filter((w) => w.terminated)).toHaveLength(4);
    await engine.stop();
    expect(FakeWorker.all.every((w) => w.terminated)).toBe(true);
  });

  it('retires a worker that failed on a page: the error reaches that page, the next page gets a fresh worker', async () => {
    FakeWorker.all = [];
    const engine = new TesseractEngine(() => Promise.resolve(new FakeWorker('bad page')), { workers: 1, pagesPerWorker: 100 });
    await expect(engine.recognize(page('bad page'), 1, size)).rejects.toThrow('cannot read bad page');
    expect(textOf(await engine.recognize(page('good page'), 2, size))).toBe('good page');
    expect(FakeWorker.all.map((w) => w.terminated)).toEqual([true, false]);
    await engine.stop();
  });

  it('refuses pages after stop and starts no worker then', async () => {
    FakeWorker.all = [];
    const engine = new TesseractEngine(() => Promise.resolve(new FakeWorker()), { workers: 1, pagesPerWorker: 1 });
    await engine.recognize(page('one'), 1, size);
    await engine.stop();
    await expect(engine.recognize(page('two'), 2, size)).rejects.toThrow('stopped');
    expect(engine.workersStarted).toBe(1);
  });

  describe('with tesseract.js', () => {
    let dataDir: string;
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('reads the same page identically on a fresh worker as on a used one', async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'ocr-recycle-'));
      const engine = await TesseractEngine.start({ workers: 1, languageDataDir: path.join(dataDir, 'tessdata'), pagesPerWorker: 2 });
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="120"><rect width="100%" height="100%" fill="white"/>' +
        '<text x="20" y="50" font-family="DejaVu Sans" font-size="28">MediaMarkt 12.03.2024</text>' +
        '<text x="20" y="95" font-family="DejaVu Sans" font-size="28">Summe EUR 899,00</text></svg>';
      const png = await sharp(Buffer.from(svg)).grayscale().png().toBuffer();
      try {
        const reads = [];
        for (let i = 1; i <= 5; i++) reads.push(await engine.recognize(png, 1, { width: 600, height: 120 }));
        // Pages 1–2 on the first worker, 3–4 on the second, 5 on the third.
        expect(engine.workersStarted).toBe(3);
        expect(textOf(reads[0]!)).toContain('Summe EUR 899,00');
        for (const read of reads.slice(1)) expect(read).toEqual(reads[0]);
      } finally {
        await engine.stop();
      }
    });
  });
});
