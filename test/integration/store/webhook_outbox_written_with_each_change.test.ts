import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeysRepository } from '../../../src/store/api-keys-repository.js';
import { ClaimStateWriter } from '../../../src/store/claim-state-writer.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { WebhooksRepository } from '../../../src/store/webhooks-repository.js';
import { storedResult } from '../../support/claim-results.js';
import { dropTestDatabase, TEST_DATABASES } from '../../support/test-databases.js';

/**
 * ClaimStateWriter announces each change to the subscriptions that asked for it, in the change's own
 * transaction: a webhook event with the claim as the change left it, and one outbox row per
 * subscription of the claim's tenant.
 */
describe.each(TEST_DATABASES)('the webhook outbox on %s', (_name, options) => {
  const opened = options();
  let db: Database;
  let claims: ClaimsRepository;
  const writer = new ClaimStateWriter();
  const subscriptions: Record<string, string> = {};

  const submit = (claimId: string, tenant: string) =>
    claims.submit({ claimId, file: null, form: {}, receiptKey: `receipts/00/${claimId}`, documentHash: claimId, tenant, identifiers: [] });
  const outbox = (claimId: string) =>
    db.query<{ subscription_id: string; type: string; data: any }>(
      `SELECT d.subscription_id, ev.type, ev.data FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
        WHERE d.claim_id = $1 ORDER BY d.id`,
      [claimId],
    );

  beforeAll(async () => {
    db = await openDatabase(opened);
    claims = new ClaimsRepository(db);
    const keys = new ApiKeysRepository(db);
    const webhooks = new WebhooksRepository(db);
    const subscribe = async (
      name: string,
      owner: { id: number; name: string },
      events: Parameters<WebhooksRepository['create']>[0]['events'],
    ) =>
      (subscriptions[name] = (await webhooks.create(
        {
          id: `wh_${name}`,
          apiKeyId: owner.id,
          tenant: owner.name,
          url: 'https://x.test/',
          events,
          description: null,
          secret: 's',
        },
        20,
      ))!.id);
    const intake = (await keys.create('intake', 'submitter')).owner;
    const other = (await keys.create('other', 'submitter')).owner;
    const revoked = (await keys.create('gone', 'submitter')).owner;
    await subscribe('decisions', intake, ['claim.decided', 'claim.needs_review']);
    await subscribe('asks', intake, ['claim.customer_asked']);
    await subscribe('others', other, ['claim.decided', 'claim.needs_review']);
    await subscribe('revoked', revoked, ['claim.decided']);
    await keys.revoke(revoked.id);
  });

  afterAll(async () => {
    await db.close();
    await dropTestDatabase(opened);
  });

  it("writes a decision's event for the tenant's subscriptions that asked for its type only", async () => {
    await submit('O-1', 'intake');
    await claims.saveResult(storedResult('O-1', 'needs_review', ['LOW_CONFIDENCE']), [], []);
    const rows = await outbox('O-1');
    expect(rows).toEqual([{ subscription_id: subscriptions.decisions, type: 'claim.needs_review', data: expect.any(Object) }]);
    expect(rows[0]!.data).toEqual({ status: 'needs_review', result: storedResult('O-1', 'needs_review', ['LOW_CONFIDENCE']) });
  });

  it('writes none for a claim no subscriber submitted, nor for a revoked key', async () => {
    await submit('O-GONE', 'gone');
    await claims.reserve('O-CLI', 'cli.jpg');
    await claims.saveResult(storedResult('O-GONE'), [], []);
    await claims.saveResult(storedResult('O-CLI'), [], []);
    expect(await outbox('O-GONE')).toEqual([]);
    expect(await outbox('O-CLI')).toEqual([]);
    expect(await db.query('SELECT 1 FROM webhook_events WHERE claim_id = ANY($1::text[])', [['O-GONE', 'O-CLI']])).toEqual([]);
  });

  it("writes a re-run's changed decisions in bulk, in order, and none where the status stayed", async () => {
    for (const id of ['O-R1', 'O-R2', 'O-R3']) {
      await submit(id, id === 'O-R2' ? 'other' : 'intake');
      await claims.saveResult(storedResult(id, 'needs_review'), [], []);
    }
    await db.transaction((tx) =>
      writer.replaceResults(tx, 'batch-1', [
        { claimId: 'O-R1', from: 'needs_review', result: storedResult('O-R1', 'eligible') },
        { claimId: 'O-R2', from: 'needs_review', result: storedResult('O-R2', 'not_eligible') },
        { claimId: 'O-R3', from: 'needs_review', result: storedResult('O-R3', 'needs_review', ['LOW_CONFIDENCE']) },
      ]),
    );
    expect((await outbox('O-R1')).map((r) => [r.type, r.data.status])).toEqual([
      ['claim.needs_review', 'needs_review'],
      ['claim.decided', 'eligible'],
    ]);
    expect((await outbox('O-R2')).map((r) => [r.subscription_id, r.type, r.data.status])).toEqual([
      [subscriptions.others, 'claim.needs_review', 'needs_review'],
      [subscriptions.others, 'claim.decided', 'not_eligible'],
    ]);
    expect((await outbox('O-R3')).map((r) => r.type)).toEqual(['claim.needs_review']);
  });

  it('writes nothing when the change itself is rolled back', async () => {
    await submit('O-ROLLBACK', 'intake');
    await expect(
      db.transaction(async (tx) => {
        await writer.decide(tx, storedResult('O-ROLLBACK'), 'received');
        throw new Error('the rest of the transaction failed');
      }),
    ).rejects.toThrow('the rest of the transaction failed');
    expect(await outbox('O-ROLLBACK')).toEqual([]);
    expect((await claims.submitted('O-ROLLBACK'))?.status).toBe('received');
  });

  it('deletes deliveries delivered longer ago than kept, with their attempts and events, and never an undelivered one', async () => {
    const webhooks = new WebhooksRepository(db);
    const [old] = await db.query<{ id: string; event_id: string }>(`SELECT id, event_id FROM webhook_deliveries WHERE claim_id = 'O-1'`);
    await webhooks.recordAttempt(Number(old!.id), { at: new Date(), durationMs: 5, statusCode: 200, error: null }, 'delivered');
    const pending = await db.query(`SELECT id FROM webhook_deliveries WHERE state = 'pending'`);
    expect(await webhooks.pruneDelivered(30)).toBe(0);
    // Delivered 31 days ago.
    await db.query(`UPDATE webhook_deliveries SET delivered_at = now() - interval '31 days' WHERE id = $1`, [old!.id]);
    expect(await webhooks.pruneDelivered(30)).toBe(1);
    expect(await outbox('O-1')).toEqual([]);
    expect(await db.query('SELECT 1 FROM webhook_events WHERE id = $1', [old!.event_id])).toEqual([]);
    expect(await db.query('SELECT 1 FROM webhook_attempts WHERE delivery_id = $1', [old!.id])).toEqual([]);
    expect(await db.query(`SELECT id FROM webhook_deliveries WHERE state = 'pending'`)).toEqual(pending);
  });
});
