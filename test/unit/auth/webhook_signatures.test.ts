import { describe, expect, it } from 'vitest';
import { newSigningSecret, signatureHeader } from '../../../src/auth/webhook-signature.js';
import { verifyWarrantySignature } from '../../support/verify-webhook-signature.js';

const BODY = '{"id":"evt_1"}';

describe('a webhook signature', () => {
  it('is HMAC-SHA256 with the secret over "<t>.<raw body>", hex, after the timestamp', () => {
    // openssl: printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signatureHeader('whsec_test', 1_700_000_000, BODY)).toBe(
      't=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925',
    );
  });

  it('passes the documented check only for the same secret, the very same body, and a fresh timestamp', () => {
    const secret = newSigningSecret();
    const now = 1_700_000_000;
    const header = signatureHeader(secret, now, BODY);
    expect(verifyWarrantySignature(BODY, header, secret, 300, now + 10)).toBe(true);
    expect(verifyWarrantySignature(BODY.replace('1', '2'), header, secret, 300, now)).toBe(false);
    expect(verifyWarrantySignature(BODY, header, newSigningSecret(), 300, now)).toBe(false);
    // A captured delivery replayed later than the tolerance.
    expect(verifyWarrantySignature(BODY, header, secret, 300, now + 301)).toBe(false);
    expect(verifyWarrantySignature(BODY, `t=${now},v1=abc`, secret, 300, now)).toBe(false);
    expect(verifyWarrantySignature(BODY, 'garbage', secret, 300, now)).toBe(false);
  });

  it('uses a secret of 32 random bytes, different each time', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(6), 'base64url')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });
});
