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
