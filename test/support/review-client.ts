import { eventually, type DistributedEnv } from './distributed-env.js';
import { getJson, sample, submitClaim } from './claims-client.js';
import type { EmbeddedApi } from './embedded-api.js';

export interface ReviewerSession {
  username: string;
  cookie: string;
  csrfToken: string;
  call(method: string, route: string, body?: unknown, options?: { csrf?: boolean }): Promise<{ status: number; body: any }>;
}

/** Creates a workbench account through the admin API, as an admin would. */
export async function createAccount(
  env: DistributedEnv,
  username: string,
  role: 'submitter' | 'reviewer' | 'admin',
  password = `${username}-long-password`,
): Promise<string> {
  const response = await fetch(`${env.baseUrl}/admin/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.keys.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, role }),
  });
  if (response.status !== 201) throw new Error(`creating ${username}: ${response.status} ${await response.text()}`);
  return password;
}

/** Signs in over the JSON API and keeps the cookie and CSRF token, as the browser does. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<ReviewerSession> {
  const response = await fetch(`${baseUrl}/review/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { csrfToken?: string; message?: string };
  if (response.status !== 200) throw new Error(`sign-in of ${username}: ${response.status} ${body.message}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const session: ReviewerSession = {
    username,
    cookie,
    csrfToken: body.csrfToken!,
    async call(method, route, payload, options = {}) {
      const headers: Record<string, string> = { cookie };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      if (options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = session.csrfToken;
      const answer = await fetch(`${baseUrl}/review/api${route}`, {
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      return { status: answer.status, body: answer.status === 204 ? null : await answer.json().catch(() => null) };
    },
  };
  return session;
}

/** A new reviewer account, signed in over the JSON API. */
export async function newReviewer(env: DistributedEnv, username: string): Promise<ReviewerSession> {
  return signIn(env.baseUrl, username, await createAccount(env, username, 'reviewer'));
}

/** A reviewer's session on an embedded API: what `app.inject` requests need to act as them. */
export interface InjectedSession {
  cookie: string;
  csrf: string;
}

/** Creates reviewer accounts with the password `<username>-long-password` through the embedded API's admin route. */
export async function createInjectedReviewers(api: EmbeddedApi, usernames: string[]): Promise<void> {
  const adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
  for (const username of usernames) {
    const created = await api.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { username, password: `${username}-long-password`, role: 'reviewer' },
    });
    if (created.statusCode !== 201) throw new Error(`creating ${username}: ${created.statusCode} ${created.body}`);
  }
}

/** Signs in on the embedded API with the password createInjectedReviewers gave the account. */
export async function injectedSignIn(api: EmbeddedApi, username: string): Promise<InjectedSession> {
  const signedIn = await api.app.inject({
    method: 'POST',
    url: '/review/api/session',
    payload: { username, password: `${username}-long-password` },
  });
  return { cookie: String(signedIn.headers['set-cookie']).split(';')[0]!, csrf: signedIn.json().csrfToken };
}

/** A workbench API request on the embedded API as the session's reviewer. */
export async function injectedCall(
  api: EmbeddedApi,
  session: InjectedSession,
  method: 'POST' | 'DELETE',
  route: string,
): Promise<{ status: number; body: any }> {
  const response = await api.app.inject({
    method,
    url: `/review/api${route}`,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
  });
  return { status: response.statusCode, body: response.statusCode === 204 ? null : response.json() };
}

/**
 * A claim on the shipped scanned receipt (samples/scan-receipt.png, which prints serial 7XK2LPQA704915R)
 * for the model on it, bought 2025-04-11 in Norway, with the serial the customer typed; once the workers decided it.
 */
export function processedScanClaim(env: DistributedEnv, claim: { claimId: string; serial: string; claimDate: string }): Promise<any> {
  return processedClaim(env, { ...claim, model: 'NP750XGK-KG3DE', purchaseDate: '2025-04-11', country: 'NO' }, 'scan-receipt.png');
}

/** Submits a claim through the API and waits for the workers' decision. */
export async function processedClaim(
  env: DistributedEnv,
  fields: Record<string, string>,
  receipt: string | { name: string; bytes: Uint8Array },
): Promise<any> {
  const accepted = await submitClaim(
    env.baseUrl,
    env.keys.submitter,
    fields,
    typeof receipt === 'string' ? await sample(receipt) : receipt,
  );
  if (accepted.status !== 202) throw new Error(`submission refused: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return eventually(
    async () => {
      const { body } = await getJson(env.baseUrl, `/claims/${encodeURIComponent(accepted.body.claimId)}`, env.keys.submitter);
      return body?.result ? body : undefined;
    },
    120_000,
    `claim ${accepted.body.claimId} decided`,
  );
}
