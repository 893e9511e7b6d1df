#!/usr/bin/env node
/**
 * `npm run bench:uploads [-- --clients 48 --seconds 10]`: the API's memory while many customers
 * upload large receipts slowly, as over a phone's connection. Starts the built API on a private
 * installation (no workers: only the intake is measured); every client sends a ~4.2 MB JPEG in
 * 64 KiB pieces spread over --seconds, all at once. Reports the API's resident memory before and at
 * its peak, and the acknowledgement time from a body's last byte to the answer.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { quantile } from '../lib/statistics.js';
import { mb, openBenchInstallation, peakMemory } from './installation.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '48' }, seconds: { type: 'string', default: '10' } } });
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const PIECE = 64 * 1024;

/** A photo-sized JPEG of noise: large, valid, and under the 5 MB limit. */
function largeReceipt(): Promise<Buffer> {
  return sharp({
    create: { width: 2200, height: 2900, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** One multipart upload whose receipt trickles in; resolves with the ms from last byte to answer. */
function slowUpload(apiUrl: string, key: string, claimId: string, receipt: Buffer): Promise<number> {
  const boundary = `----bench${randomUUID()}`;
  const field = (name: string, value: string) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('claimId', claimId) +
      field('country', 'DE') +
      field('claimDate', '2025-06-01') +
      `--${boundary}\r\ncontent-disposition: form-data; name="receipt"; filename="photo.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const pieces = Math.ceil(receipt.byteLength / PIECE);
  const pause = (SECONDS * 1000) / pieces;
  return new Promise((resolve, reject) => {
    let lastByte = 0;
    const req = request(
      `${apiUrl}/claims`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.byteLength + receipt.byteLength + tail.byteLength,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 202 ? resolve(performance.now() - lastByte) : reject(new Error(`claim ${claimId}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    void (async () => {
      req.write(head);
      for (let at = 0; at < receipt.byteLength; at += PIECE) {
        req.write(receipt.subarray(at, at + PIECE));
        await new Promise((r) => setTimeout(r, pause * (0.5 + Math.random())));
      }
      lastByte = performance.now();
      req.end(tail);
    })();
  });
}

async function main(): Promise<void> {
  const receipt = await largeReceipt();
  const installation = await openBenchInstallation();
  try {
    const api = await installation.start('dist/src/api/main.js', 'api listening');
    const apiUrl = api.line.replace('api listening on ', '').trim();
    const apiPeak = peakMemory(api.child);
    await new Promise((r) => setTimeout(r, 1000));
    const idleKb = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${api.child.pid}/status`, 'utf8'))?.[1]);
    process.stderr.write(`${CLIENTS} clients, each sending ${(receipt.byteLength / 1e6).toFixed(1)} MB over ~${SECONDS} s\n`);
    const acks = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => slowUpload(apiUrl, installation.submitterKey, `UPLOAD-${i}`, receipt)),
    );
    await new Promise((r) => setTimeout(r, 500));
    const peakKb = apiPeak();
    await installation.stopAll();
    console.log(
      `\nAPI under ${CLIENTS} slow uploads of ${(receipt.byteLength / 1e6).toFixed(1)} MB (${((CLIENTS * receipt.byteLength) / 1e6).toFixed(0)} MB in flight):`,
    );
    console.log(`  resident memory     idle ${mb(idleKb)}, peak ${mb(peakKb)} (+${mb(peakKb - idleKb)})`);
    console.log(
      `  ack after last byte p50 ${quantile(acks, 0.5).toFixed(0)} ms, p95 ${quantile(acks, 0.95).toFixed(0)} ms, max ${quantile(acks, 1).toFixed(0)} ms`,
    );
  } finally {
    await installation.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
