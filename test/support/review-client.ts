import { eventually, type DistributedEnv } from './distributed-env.js';
import { getJson, sample, submitClaim } from './claims-client.js';

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
