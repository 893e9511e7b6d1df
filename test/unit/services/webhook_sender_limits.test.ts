import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, webhookDispatcher } from '../../../src/services/webhook-sender.js';

const LIMITS = { timeoutMs: 300, maxResponseBytes: 1024 };

describe('sending a webhook', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  let endlessClosed: Promise<unknown>;

  beforeAll(async () => {
    let closed!: () => void;
    endlessClosed = new Promise<void>((resolve) => (closed = resolve));
    server = createServer((request, response) => {
      seen.push(request.url!);
      if (request.url === '/moved') return void response.writeHead(302, { location: '/elsewhere' }).end();
      if (request.url === '/silent') return; // never answers
      if (request.url === '/endless') {
        // An answer that never ends: the sender reads its budget and hangs up.
        response.writeHead(200);
        const chunk = Buffer.alloc(512, 'x');
        const pump = () => {
          while (response.write(chunk));
        };
        response.on('drain', pump);
        response.on('close', closed);
        return pump();
      }
      response.writeHead(204).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('takes a 2xx as the answer, with the time it took', async () => {
    const outcome = await postWebhook(new URL(`${base}/ok`), '{}', {}, LIMITS);
    expect(outcome).toMatchObject({ statusCode: 204, error: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    expect(await postWebhook(new URL(`${base}/moved`), '{}', {}, LIMITS)).toMatchObject({ statusCode: 302, error: null });
    expect(seen).not.toContain('/elsewhere');
  });

  it('reads no more of an answer than its budget, and hangs up', async () => {
    expect(await postWebhook(new URL(`${base}/endless`), '{}', {}, LIMITS)).toMatchObject({ statusCode: 200 });
    await endlessClosed;
  });

  it('gives up on a receiver that does not answer in time, saying so', async () => {
    expect(await postWebhook(new URL(`${base}/silent`), '{}', {}, LIMITS)).toMatchObject({
      statusCode: null,
      error: 'no answer within 300 ms',
    });
  });

  it('names the network error of a receiver that is not there', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const outcome = await postWebhook(new URL(`http://127.0.0.1:${closedPort}/`), '{}', {}, LIMITS);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('connects to no host whose name resolves inward, whatever a check before found (DNS rebinding)', async () => {
    const dispatcher = webhookDispatcher(false);
    const outcome = await postWebhook(new URL(`${base.replace('127.0.0.1', 'localhost')}/rebound`), '{}', {}, LIMITS, dispatcher);
    await dispatcher.close();
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    expect(seen).not.toContain('/rebound');
  });
});
