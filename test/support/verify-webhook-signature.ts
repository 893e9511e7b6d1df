// The verification snippet of docs/customer-loop.md and the README, as a receiver would write it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `header` (Warranty-Signature) signs `rawBody` with `secret` and its timestamp is within
 * `toleranceSeconds` of now.
 */
export function verifyWarrantySignature(
  rawBody: string,
  header: string,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Date.now() / 1000,
): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = Number(parts.get('t'));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
