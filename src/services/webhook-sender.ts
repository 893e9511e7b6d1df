import { Agent, type Dispatcher } from 'undici';
import { publicOnlyLookup } from './webhook-url-guard.js';

/**
 * The connection pool deliveries go out through. Unless private addresses are allowed, every
 * connection resolves its host with `publicOnlyLookup`, so a name cannot be checked as public and
 * then connected to inward (DNS rebinding).
 */
export function webhookDispatcher(allowPrivateUrls: boolean): Dispatcher {
  return allowPrivateUrls ? new Agent() : new Agent({ connect: { lookup: publicOnlyLookup } });
}

/** What one attempt to send a delivery came to: the receiver's status code, or the error that stopped it. */
export interface SendOutcome {
  at: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface SendLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * POSTs a webhook body with Node's fetch. Redirects are not followed (a 3xx is an answer, and
 * following it could lead inward); the whole exchange has `timeoutMs`; at most `maxResponseBytes` of
 * the answer are read, then the connection is dropped (only the status code counts).
 */
export async function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  limits: SendLimits,
  dispatcher?: Dispatcher,
): Promise<SendOutcome> {
  const at = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'warranty-webhooks/1', ...headers },
      redirect: 'manual',
      signal,
      ...(dispatcher && { dispatcher }),
    });
    await readAtMost(response, limits.maxResponseBytes);
    return { at, durationMs: elapsed(), statusCode: response.status, error: null };
  } catch (error) {
    const message = signal.aborted ? `no answer within ${limits.timeoutMs} ms` : describe(error);
    return { at, durationMs: elapsed(), statusCode: null, error: message };
  }
}

async function readAtMost(response: Response, maxBytes: number): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (let read = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    if (read > maxBytes) return void (await reader.cancel());
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the network error (a refused connection, a name that does not resolve or resolves inward) in its `cause`.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
