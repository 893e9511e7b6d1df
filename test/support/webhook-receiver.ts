import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with what it answered. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, as a receiver must verify it (before any JSON parsing). */
  body: string;
  event: { id: string; type: string; created: string; claimId: string; requestNumber: string; data: any };
  answered: number;
}

/**
 * A webhook receiver on loopback (node:http): records every request and answers with `status()`
 * (200 unless a test says otherwise). `until` waits for the requests to satisfy a condition,
 * checked as each one arrives.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  status: (request: Omit<ReceivedRequest, 'answered'>) => number = () => 200;
  private readonly arrivals = new EventEmitter();

  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen = { headers: request.headers, body, event: JSON.parse(body) as ReceivedRequest['event'] };
      const answered = this.status(seen);
      this.requests.push({ ...seen, answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'down');
      this.arrivals.emit('request');
    });
  });
  url = '';

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks`;
    return receiver;
  }

  /** The requests it answered with a 2xx. */
  get accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  /** Resolves once `condition` holds for the requests so far (checked now and at each arrival). */
  until(condition: (receiver: WebhookReceiver) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition(this)) return;
        this.arrivals.off('request', check);
        resolve();
      };
      this.arrivals.on('request', check);
      check();
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
