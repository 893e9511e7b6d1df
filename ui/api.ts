/** The workbench's calls to /review/api: JSON in and out, the CSRF token on every change. */

/** A wrong value of a refused request, where the API found it (`in`: body, querystring…; `path`: dotted). */
export interface RequestIssue {
  in: string;
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: RequestIssue[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
export const setCsrfToken = (token: string) => (csrfToken = token);

/**
 * Called when a request is refused because the session ended: resolves once the reviewer has signed
 * in again (the request is then sent again, with the new CSRF token), rejects if they do not.
 */
let signInAgain: (() => Promise<void>) | null = null;
export const onSessionEnded = (handler: () => Promise<void>) => (signInAgain = handler);

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { keepalive?: boolean; signInAgain?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/review/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    keepalive: options.keepalive,
  });
  // The session's own routes answer 401 as their result; anything else asks to sign in again, once.
  if (response.status === 401 && path !== '/session' && options.signInAgain !== false && signInAgain) {
    await signInAgain();
    return api<T>(method, path, body, { ...options, signInAgain: false });
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const refusal = data as { error?: string; message?: string; issues?: RequestIssue[] };
    throw new ApiError(
      response.status,
      refusal.error ?? 'error',
      refusal.message ?? `The server answered ${response.status}.`,
      refusal.issues ?? [],
    );
  }
  return data as T;
}
