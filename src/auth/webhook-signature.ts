import { createHmac, randomBytes } from 'node:crypto';

/** The header carrying a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'Warranty-Signature';

/** A new signing secret: 32 random bytes, `whsec_<base64url>`. The whole string is the HMAC key. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The signature header for `body` sent at `timestampSeconds`: HMAC-SHA256 with the secret over
 * `<t>.<body>`, so a receiver can tell the body is ours and unchanged, and refuse an old one replayed.
 */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
