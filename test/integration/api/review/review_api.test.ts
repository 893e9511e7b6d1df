import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCorrections } from '../../../../tools/eval/run-evaluation.js';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { EMPTY_FIELD } from '../../../../src/domain/extraction.js';
import { useDistributedEnv } from '../../../support/distributed-env.js';
import { createAccount, newReviewer, processedClaim, type ReviewerSession } from '../../../support/review-client.js';

/** A machine decision as the workers store it, for queue rows that need no receipt. */
function machineResult(claimId: string, flags: string[], family: string | null, retailer: string | null): ClaimResult {
  return {
    file: null,
    claimId,
    status: 'needs_review',
    fields: {
      purchaseDate: EMPTY_FIELD,
      retailer: { value: retailer, confidence: 0.9, source: retailer },
      model: EMPTY_FIELD,
      serial: EMPTY_FIELD,
      imei: EMPTY_FIELD,
    },
    warranty: family ? { family, months: 24, expires: null, rule: 'test' } : null,
    flags: flags.map((code) => ({ code: code as ClaimResult['flags'][number]['code'], message: code, evidence: {} })),
    policyVersion: '2026.1',
    documentHash: null,
  };
}

describe('the reviewer workbench API', () => {
  const env = useDistributedEnv();
  let alice: ReviewerSession;
  let bob: ReviewerSession;

  const seed = async (claimId: string, flags: string[], family: string | null, retailer: string | null, receivedAt?: string) => {
    await env().runtime.claims.reserve(claimId, null);
    // Arrived on that day: set before the decision, which indexes the claim's flags in queue order.
    if (receivedAt) await env().runtime.db.query('UPDATE claims SET created_at = $2 WHERE id = $1', [claimId, receivedAt]);
    await env().runtime.claims.saveResult(machineResult(claimId, flags, family, retailer), [], []);
  };

  beforeAll(async () => {
    alice = await newReviewer(env(), 'alice');
    bob = await newReviewer(env(), 'bob');
    await seed('Q-OLD', ['SERIAL_MISMATCH'], 'phone', 'MediaMarkt', '2025-05-01T08:00:00Z');
    await seed('Q-MID', ['DUPLICATE_RECEIPT', 'LOW_CONFIDENCE'], 'tv', 'Saturn', '2025-05-02T08:00:00Z');
    await seed('Q-NEW', ['SERIAL_MISMATCH'], 'tv', 'MediaMarkt', '2025-05-03T08:00:00Z');
    await env().runtime.claims.reserve('Q-DONE', null);
    await env().runtime.claims.saveResult({ ...machineResult('Q-DONE', [], 'phone', 'Saturn'), status: 'eligible' }, [], []);
  }, 60_000);

  it('refuses a wrong password and an unknown name alike, and a disabled account at once', async () => {
    const wrong = await fetch(`${env().baseUrl}/review/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'not-her-password' }),
    });
    const unknown = await fetch(`${env().baseUrl}/review/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'whatever-password' }),
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((await wrong.json()).message).toBe((await unknown.json()).message);

    const carol = await newReviewer(env(), 'carol');
    expect((await carol.call('GET', '/queue')).status).toBe(200);
    const disabled = await fetch(`${env().baseUrl}/admin/users/carol`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${env().keys.admin}` },
    });
    expect(disabled.status).toBe(204);
    expect((await carol.call('GET', '/queue')).status).toBe(401);
  });

  it('refuses even the right password for a while after five wrong ones in a row', async () => {
    const password = await createAccount(env(), 'gina', 'reviewer');
    const attempt = (pw: string) =>
      fetch(`${env().baseUrl}/review/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'gina', password: pw }),
      }).then((r) => r.status);
    for (let i = 0; i < 4; i++) expect(await attempt('wrong-password-guess')).toBe(401);
    expect(await attempt(password)).toBe(200);
    for (let i = 0; i < 5; i++) expect(await attempt('wrong-password-guess')).toBe(401);
    expect(await attempt(password)).toBe(401);
    await env().runtime.db.query("UPDATE sign_in_failures SET locked_until = now() WHERE username = 'gina'");
    expect(await attempt(password)).toBe(200);
  });

  it('sets the session cookie HttpOnly, Secure and SameSite=Strict, and stores only an scrypt hash of the password', async () => {
    const response = await fetch(`${env().baseUrl}/review/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'alice-long-password' }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/^warranty_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const [row] = await env().runtime.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM user_accounts WHERE username = 'alice'",
    );
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row!.password_hash).not.toContain('alice-long-password');
  });

  it('lists claims needing review oldest first, with their age against the target, filtered, a keyset page at a time', async () => {
    const first = await alice.call('GET', '/queue?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: any) => i.claimId)).toEqual(['Q-OLD', 'Q-MID']);
    expect(first.body.items[0]).toMatchObject({ family: 'phone', retailer: 'MediaMarkt', flags: ['SERIAL_MISMATCH'], overTarget: true });
    expect(first.body.slaHours).toBe(48);
    const second = await alice.call('GET', `/queue?limit=2&cursor=${first.body.next}`);
    expect(second.body.items.map((i: any) => i.claimId)).toEqual(['Q-NEW']);
    expect(second.body.next).toBeNull();

    const ids = async (query: string) => (await alice.call('GET', `/queue?${query}`)).body.items.map((i: any) => i.claimId);
    expect(await ids('flag=SERIAL_MISMATCH')).toEqual(['Q-OLD', 'Q-NEW']);
    expect(await ids('flag=LOW_CONFIDENCE')).toEqual(['Q-MID']);
    expect(await ids('flag=FUTURE_DATE')).toEqual([]);
    const flagged = await alice.call('GET', '/queue?flag=SERIAL_MISMATCH&limit=1');
    expect(
      (await alice.call('GET', `/queue?flag=SERIAL_MISMATCH&limit=1&cursor=${flagged.body.next}`)).body.items.map((i: any) => i.claimId),
    ).toEqual(['Q-NEW']);
    expect(await ids('family=tv')).toEqual(['Q-MID', 'Q-NEW']);
    expect(await ids('retailer=MediaMarkt&family=tv')).toEqual(['Q-NEW']);
    expect(await ids('from=2025-05-02&to=2025-05-02')).toEqual(['Q-MID']);
    expect((await alice.call('GET', '/queue?flag=NOT_A_FLAG')).status).toBe(400);
  });

  it('leases a claim to one reviewer: the other is refused until it is released or expires', async () => {
    expect((await alice.call('POST', '/claims/Q-MID/lease')).status).toBe(200);
    const refused = await bob.call('POST', '/claims/Q-MID/lease');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'LEASE_HELD', message: expect.stringMatching(/^alice is reviewing claim WR-/) });
    expect((await bob.call('GET', '/queue')).body.items.find((i: any) => i.claimId === 'Q-MID').lease.username).toBe('alice');
    expect((await alice.call('DELETE', '/claims/Q-MID/lease')).status).toBe(204);
    expect((await bob.call('POST', '/claims/Q-MID/lease')).status).toBe(200);

    // Of two reviewers opening the same claim at the same moment, exactly one gets it.
    const race = await Promise.all([alice.call('POST', '/claims/Q-NEW/lease'), bob.call('POST', '/claims/Q-NEW/lease')]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);

    const [aliceId] = await env().runtime.db.query<{ id: string }>("SELECT id FROM user_accounts WHERE username = 'alice'");
    await env().runtime.reviews.takeLease('Q-OLD', Number(aliceId!.id), 'alice', 600);
    expect((await bob.call('POST', '/claims/Q-OLD/lease')).status).toBe(409);
    // The reservation runs out: its end moved into the past rather than waited for.
    await env().runtime.db.query("UPDATE review_leases SET expires_at = now() - interval '1 second' WHERE claim_id = 'Q-OLD'");
    expect((await bob.call('POST', '/claims/Q-OLD/lease')).status).toBe(200);
  });

  it('does not lease a claim that no longer needs review', async () => {
    const refused = await alice.call('POST', '/claims/Q-DONE/lease');
    expect(refused).toMatchObject({ status: 409, body: { error: 'NOT_REVIEWABLE' } });
    expect((await alice.call('POST', '/claims/NOPE/lease')).status).toBe(404);
  });

  describe('with a claim the workers decided', () => {
    let claimId: string;

    beforeAll(async () => {
      await env().startWorkers();
      // The customer typed the last character of the serial wrong: SERIAL_MISMATCH, so it needs review.
      const claim = await processedClaim(
        env(),
        {
          claimId: 'REV-1',
          serial: '0TQ43HCT900517X',
          model: 'UE55CU8079UXZG',
          purchaseDate: '2023-02-21',
          country: 'DE',
          claimDate: '2025-06-01',
        },
        'invoice-text.pdf',
      );
      expect(claim.status).toBe('needs_review');
      claimId = claim.claimId;
    }, 180_000);

    it('shows the form beside the receipt with the disagreement marked, and explains the flag', async () => {
      const { status, body } = await alice.call('GET', `/claims/${claimId}`);
      expect(status).toBe(200);
      const serial = body.fields.find((f: any) => f.name === 'serial');
      expect(serial).toMatchObject({ form: '0TQ43HCT900517X', receipt: { value: '0TQ43HCT900517W' }, disagrees: true });
      expect(body.fields.find((f: any) => f.name === 'model').disagrees).toBe(false);
      expect(body.assessment.flags.map((f: any) => f.code)).toContain('SERIAL_MISMATCH');
      expect(body.assessment.flags[0].title).toBe('Serial/IMEI differs between form and receipt');
      expect(body.pages).toEqual([{ number: 1, url: `/review/api/claims/${claimId}/pages/1`, coordinateWidth: 1500 }]);
      const page = await fetch(`${env().baseUrl}${body.pages[0].url}`, { headers: { cookie: alice.cookie } });
      expect(page.headers.get('content-type')).toBe('image/png');
      expect((await fetch(`${env().baseUrl}${body.pages[0].url}`)).status).toBe(401);
    });

    it('re-assesses with a corrected field at once, saving nothing', async () => {
      const preview = await alice.call('POST', `/claims/${claimId}/assess`, { corrections: { serial: '0tq43hct900517x' } });
      expect(preview.status).toBe(200);
      expect(preview.body.status).toBe('eligible');
      expect(preview.body.fields.serial).toMatchObject({ value: '0TQ43HCT900517X', confidence: 1, source: 'reviewer' });
      expect((await env().runtime.claims.get(claimId))!.status).toBe('needs_review');
      expect((await alice.call('POST', `/claims/${claimId}/assess`, { corrections: { purchaseDate: '21.02.2023' } })).status).toBe(400);
    });

    it('records the decision with who, why and the corrections, and a machine re-run does not overwrite it', async () => {
      expect((await alice.call('POST', `/claims/${claimId}/decision`, { action: 'approve', corrections: {} })).body.error).toBe(
        'LEASE_LOST',
      );
      expect((await alice.call('POST', `/claims/${claimId}/lease`)).status).toBe(200);
      expect((await alice.call('POST', `/claims/${claimId}/decision`, { action: 'reject', corrections: {} })).status).toBe(400);
      const decided = await alice.call('POST', `/claims/${claimId}/decision`, {
        action: 'approve',
        note: 'serial checked on the invoice',
        corrections: { serial: '0TQ43HCT900517X' },
      });
      expect(decided).toEqual({ status: 200, body: { status: 'eligible', undoSeconds: 10 } });

      const stored = await env().runtime.claims.get(claimId);
      expect(stored!.status).toBe('eligible');
      expect(stored!.result.fields.serial.value).toBe('0TQ43HCT900517X');
      const [row] = await env().runtime.db.query<{ decided_by: string }>('SELECT decided_by FROM claims WHERE id = $1', [claimId]);
      expect(row!.decided_by).toBe('alice');
      const reviewed = (await env().runtime.claims.history(claimId)).filter((e) => e.kind === 'reviewed');
      expect(reviewed).toHaveLength(1);
      expect(reviewed[0]!.data).toMatchObject({
        status: 'eligible',
        reviewer: 'alice',
        action: 'approve',
        reason: null,
        note: 'serial checked on the invoice',
        corrections: [{ field: 'serial', before: '0TQ43HCT900517W', after: '0TQ43HCT900517X' }],
      });
      const examples = [];
      for await (const example of env().runtime.reviews.corrections()) examples.push(example);
      expect(examples).toEqual([
        expect.objectContaining({
          claimId,
          field: 'serial',
          corrected: '0TQ43HCT900517X',
          machine: expect.objectContaining({ value: '0TQ43HCT900517W' }),
          reviewer: 'alice',
        }),
      ]);
      // The example carries what the machine read, so the evaluation scores today's extractor on it.
      const exported = path.join(await mkdtemp(path.join(tmpdir(), 'corrections-')), 'corrections.ndjson');
      await writeFile(exported, examples.map((e) => JSON.stringify(e)).join('\n'));
      const scored = await evaluateCorrections(exported);
      expect(scored.figures).toEqual({ examples: 1, skipped: 0, agree: { serial: { right: 0, total: 1 }, all: { right: 0, total: 1 } } });
      expect(scored.report).toContain(`${claimId} serial: reviewer 0TQ43HCT900517X extractor 0TQ43HCT900517W`);
      await rm(path.dirname(exported), { recursive: true, force: true });

      const again = await alice.call('POST', `/claims/${claimId}/decision`, { action: 'approve', corrections: {} });
      expect(again).toMatchObject({ status: 409, body: { error: 'NOT_REVIEWABLE' } });
      const rerun = await env().runtime.claims.saveResult({ ...stored!.result, status: 'needs_review' }, [], []);
      expect(rerun).toBe(false);
      expect((await env().runtime.claims.get(claimId))!.status).toBe('eligible');

      const history = await alice.call('GET', `/claims/${claimId}`);
      expect(history.body.decidedBy).toBe('alice');
      expect(history.body.history.map((e: any) => e.kind)).toEqual(['received', 'stage', 'stage', 'decided', 'reviewed']);
    });
  });
});
