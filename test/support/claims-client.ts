import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const SAMPLES = path.resolve(import.meta.dirname, '../../samples');

/** POSTs a claim as a client does: multipart with the form fields and the receipt. */
export async function submitClaim(
  baseUrl: string,
  key: string | null,
  fields: Record<string, string>,
  receipt: { name: string; bytes: Uint8Array; type?: string } | null,
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (receipt)
    form.append('receipt', new Blob([new Uint8Array(receipt.bytes)], { type: receipt.type ?? 'application/octet-stream' }), receipt.name);
  const response = await fetch(`${baseUrl}/claims`, { method: 'POST', body: form, headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, body: await response.json().catch(() => null), headers: response.headers };
}

export async function sample(name: string): Promise<{ name: string; bytes: Uint8Array }> {
  return { name, bytes: await readFile(path.join(SAMPLES, name)) };
}

export async function getJson(baseUrl: string, route: string, key: string | null): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${route}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Sends a JSON body (or none) with an API key, as the intake service does; the answer's JSON, null when it has none. */
export async function sendJson(
  baseUrl: string,
  key: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** POSTs another document for a claim, as the intake service does when the customer sends one. */
export async function addDocument(
  baseUrl: string,
  key: string,
  claimId: string,
  document: { name: string; bytes: Uint8Array; type: string },
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('document', new Blob([new Uint8Array(document.bytes)], { type: document.type }), document.name);
  const response = await fetch(`${baseUrl}/claims/${encodeURIComponent(claimId)}/documents`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
