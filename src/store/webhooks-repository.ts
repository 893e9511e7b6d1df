import type { DeliveryState, WebhookEventType } from '../domain/webhooks.js';
import type { Role } from './api-keys-repository.js';
import type { Database, Queryable } from './database.js';

/** A subscription as its owner sees it (never with its secret, which is shown once). */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: string;
}

export interface NewSubscription {
  id: string;
  apiKeyId: number;
  tenant: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  secret: string;
}

/** A delivery handed to the queue: its row and the round it was handed over in (part of its job id). */
export interface RelayedDelivery {
  deliveryId: number;
  round: number;
}

/** Everything a worker needs to send one delivery. */
export interface SendableDelivery {
  deliveryId: number;
  /** Its lane: the subscription and the claim. */
  lane: { subscriptionId: string; claimId: string };
  state: DeliveryState;
  /** An earlier delivery of the same claim to the same subscription is not delivered yet. */
  waitsBehindEarlier: boolean;
  url: string;
  secret: string;
  /** The role of the subscribing key: a submitter's events carry the result as a submitter reads it. */
  ownerRole: Role;
  event: { id: string; type: WebhookEventType; created: string; claimId: string; requestNumber: string; data: Record<string, unknown> };
}

export interface DeliveryAttempt {
  at: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

/** A delivery with its attempts, for the subscription's owner. */
export interface DeliveryRecord {
  deliveryId: number;
  eventId: string;
  type: WebhookEventType;
  claimId: string;
  createdAt: string;
  state: DeliveryState;
  deliveredAt: string | null;
  attempts: Array<{ at: string; durationMs: number; statusCode: number | null; error: string | null }>;
}

type SubscriptionRow = { id: string; url: string; events: WebhookEventType[]; description: string | null; created_at: Date };
const subscriptionOf = (r: SubscriptionRow): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  createdAt: r.created_at.toISOString(),
});

/** Deliveries of a lane (subscription, claim) not yet delivered and earlier than the row `d`. */
const EARLIER_UNDELIVERED = `EXISTS (SELECT 1 FROM webhook_deliveries e
  WHERE e.subscription_id = d.subscription_id AND e.claim_id = d.claim_id AND e.id < d.id AND e.state <> 'delivered')`;

/** The row `d`'s subscription belongs to a key still valid: a revoked key's subscriptions are sent nothing more. */
const KEY_VALID = `EXISTS (SELECT 1 FROM webhook_subscriptions s JOIN api_keys k ON k.id = s.api_key_id
  WHERE s.id = d.subscription_id AND k.revoked_at IS NULL)`;

/**
 * Webhook subscriptions (each read and changed only through the API key that owns it) and the
 * delivery side of their outbox: the rows are written by ClaimStateWriter with the change they
 * announce; here they are handed to the queue, sent, and their attempts recorded.
 */
export class WebhooksRepository {
  constructor(private readonly db: Database) {}

  /** Stores the subscription unless its key already has `limit` of them (then null). */
  async create(subscription: NewSubscription, limit: number): Promise<WebhookSubscription | null> {
    const rows = await this.db.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (id, api_key_id, tenant, url, events, description, secret)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT count(*) FROM webhook_subscriptions WHERE api_key_id = $2) < $8
       RETURNING id, url, events, description, created_at`,
      [
        subscription.id,
        subscription.apiKeyId,
        subscription.tenant,
        subscription.url,
        subscription.events,
        subscription.description,
        subscription.secret,
        limit,
      ],
    );
    return rows[0] ? subscriptionOf(rows[0]) : null;
  }

  /** The key's subscriptions, oldest first. */
  async list(apiKeyId: number): Promise<WebhookSubscription[]> {
    const rows = await this.db.query<SubscriptionRow>(
      'SELECT id, url, events, description, created_at FROM webhook_subscriptions WHERE api_key_id = $1 ORDER BY created_at, id',
      [apiKeyId],
    );
    return rows.map(subscriptionOf);
  }

  /** The subscription, when this key owns it. */
  async find(id: string, apiKeyId: number): Promise<WebhookSubscription | null> {
    const rows = await this.db.query<SubscriptionRow>(
      'SELECT id, url, events, description, created_at FROM webhook_subscriptions WHERE id = $1 AND api_key_id = $2',
      [id, apiKeyId],
    );
    return rows[0] ? subscriptionOf(rows[0]) : null;
  }

  /** Deletes the subscription (and its undelivered events) when this key owns it. */
  async remove(id: string, apiKeyId: number): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM webhook_subscriptions WHERE id = $1 AND api_key_id = $2 RETURNING id', [id, apiKeyId]);
    return rows.length > 0;
  }

  /** Replaces the signing secret when this key owns the subscription; every delivery from now on is signed with the new one. */
  async rotateSecret(id: string, apiKeyId: number, secret: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE webhook_subscriptions SET secret = $3 WHERE id = $1 AND api_key_id = $2 RETURNING id', [
      id,
      apiKeyId,
      secret,
    ]);
    return rows.length > 0;
  }

  /**
   * Hands up to `limit` pending deliveries that are next in their lane (nothing earlier of the same
   * claim to the same subscription undelivered) and not handed over yet to `publish`, each with its
   * new round, in one transaction: if publishing fails nothing is marked, and publishing a round
   * twice is a no-op (its job id). `lane` limits it to one subscription's claim.
   */
  async relayPending(
    limit: number,
    publish: (deliveries: RelayedDelivery[]) => Promise<void>,
    lane?: { subscriptionId: string; claimId: string },
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; round: number }>(
        `UPDATE webhook_deliveries SET round = round + 1, relayed_at = now()
          WHERE id IN (SELECT d.id FROM webhook_deliveries d
                        WHERE d.state = 'pending' AND d.relayed_at IS NULL AND NOT ${EARLIER_UNDELIVERED} AND ${KEY_VALID}
                          AND ($2::text IS NULL OR (d.subscription_id = $2 AND d.claim_id = $3))
                        ORDER BY d.id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, round`,
        [limit, lane?.subscriptionId ?? null, lane?.claimId ?? null],
      );
      if (rows.length === 0) return 0;
      const relayed = rows.map((r) => ({ deliveryId: Number(r.id), round: r.round })).sort((a, b) => a.deliveryId - b.deliveryId);
      await publish(relayed);
      return rows.length;
    });
  }

  /** Failed deliveries (their retries ran out) that have waited `ageMs`: pending again, for the relay to hand over. */
  async failedDueAgain(ageMs: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE webhook_deliveries SET state = 'pending', relayed_at = NULL, failed_at = NULL
        WHERE state = 'failed' AND failed_at < now() - make_interval(secs => $1::double precision / 1000) RETURNING id`,
      [ageMs],
    );
    return rows.length;
  }

  /**
   * Deletes deliveries delivered more than `days` ago, with their attempts, and the events no
   * delivery names any more; returns how many deliveries went. Undelivered ones are never deleted.
   */
  async pruneDelivered(days: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const gone = await tx.query<{ event_id: string }>(
        `DELETE FROM webhook_deliveries WHERE state = 'delivered' AND delivered_at < now() - make_interval(days => $1) RETURNING event_id`,
        [days],
      );
      if (gone.length === 0) return 0;
      await tx.query(
        `DELETE FROM webhook_events ev WHERE ev.id = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)`,
        [[...new Set(gone.map((g) => g.event_id))]],
      );
      return gone.length;
    });
  }

  /** Pending deliveries handed to the queue over `ageMs` ago, after `afterId`: their job may be lost. */
  async relayedBefore(ageMs: number, afterId: number, limit: number): Promise<RelayedDelivery[]> {
    const rows = await this.db.query<{ id: string; round: number }>(
      `SELECT id, round FROM webhook_deliveries
        WHERE state = 'pending' AND relayed_at < now() - make_interval(secs => $1::double precision / 1000) AND id > $2
        ORDER BY id LIMIT $3`,
      [ageMs, afterId, limit],
    );
    return rows.map((r) => ({ deliveryId: Number(r.id), round: r.round }));
  }

  /** The delivery is to be handed to the queue again (its job is gone, or it was not next in its lane when it ran). */
  async unrelay(delivery: RelayedDelivery): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET relayed_at = NULL WHERE id = $1 AND round = $2 AND state = 'pending'`, [
      delivery.deliveryId,
      delivery.round,
    ]);
  }

  /** The delivery with its event, subscription and claim; null when it, or its subscription, is gone or its key revoked. */
  async sendable(deliveryId: number): Promise<SendableDelivery | null> {
    const rows = await this.db.query<{
      subscription_id: string;
      state: DeliveryState;
      waits: boolean;
      url: string;
      secret: string;
      role: Role;
      event_id: string;
      type: WebhookEventType;
      created_at: Date;
      claim_id: string;
      request_number: string;
      data: Record<string, unknown>;
    }>(
      `SELECT d.subscription_id, d.state, ${EARLIER_UNDELIVERED} AS waits, s.url, s.secret, k.role,
              ev.id AS event_id, ev.type, ev.created_at, ev.claim_id, c.request_number, ev.data
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         JOIN api_keys k ON k.id = s.api_key_id AND k.revoked_at IS NULL
         JOIN webhook_events ev ON ev.id = d.event_id
         JOIN claims c ON c.id = ev.claim_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      deliveryId,
      lane: { subscriptionId: r.subscription_id, claimId: r.claim_id },
      state: r.state,
      waitsBehindEarlier: r.waits,
      url: r.url,
      secret: r.secret,
      ownerRole: r.role,
      event: {
        id: r.event_id,
        type: r.type,
        created: r.created_at.toISOString(),
        claimId: r.claim_id,
        requestNumber: r.request_number,
        data: r.data,
      },
    };
  }

  /**
   * Records an attempt and what it means for the delivery: delivered (a 2xx), failed (the last
   * attempt of its round), or still pending (the queue retries it).
   */
  async recordAttempt(deliveryId: number, attempt: DeliveryAttempt, outcome: 'delivered' | 'failed' | 'retry'): Promise<void> {
    await this.db.transaction(async (tx) => {
      await insertAttempt(tx, deliveryId, attempt);
      if (outcome === 'delivered')
        await tx.query(`UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now() WHERE id = $1`, [deliveryId]);
      else if (outcome === 'failed')
        await tx.query(`UPDATE webhook_deliveries SET state = 'failed', failed_at = now() WHERE id = $1 AND state = 'pending'`, [
          deliveryId,
        ]);
    });
  }

  /**
   * The subscription's deliveries, newest first, `limit` a page, before the delivery `before`
   * (keyset paging); null when this key does not own the subscription.
   */
  async deliveries(subscriptionId: string, apiKeyId: number, page: { before?: number; limit: number }): Promise<DeliveryRecord[] | null> {
    if (!(await this.find(subscriptionId, apiKeyId))) return null;
    const rows = await this.db.query<{
      id: string;
      event_id: string;
      type: WebhookEventType;
      claim_id: string;
      created_at: Date;
      state: DeliveryState;
      delivered_at: Date | null;
      attempts: Array<{ at: string; durationMs: number; statusCode: number | null; error: string | null }>;
    }>(
      `SELECT d.id, d.event_id, ev.type, d.claim_id, ev.created_at, d.state, d.delivered_at,
              COALESCE((SELECT json_agg(json_build_object('at', a.attempted_at, 'durationMs', a.duration_ms,
                                                          'statusCode', a.status_code, 'error', a.error) ORDER BY a.id)
                          FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json) AS attempts
         FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
        WHERE d.subscription_id = $1 AND ($2::bigint IS NULL OR d.id < $2)
        ORDER BY d.id DESC LIMIT $3`,
      [subscriptionId, page.before ?? null, page.limit],
    );
    return rows.map((r) => ({
      deliveryId: Number(r.id),
      eventId: r.event_id,
      type: r.type,
      claimId: r.claim_id,
      createdAt: r.created_at.toISOString(),
      state: r.state,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      attempts: r.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    }));
  }

  /**
   * Sends the event to the subscription again, under its own id: the delivery is pending again and
   * goes out once it is next in its lane. False when this key has no such subscription or event.
   */
  async redeliver(subscriptionId: string, apiKeyId: number, eventId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE webhook_deliveries d
          SET state = 'pending', delivered_at = NULL, failed_at = NULL,
              -- One still on its way (pending) keeps its job; a delivered or failed one gets a new round.
              relayed_at = CASE WHEN d.state = 'pending' THEN d.relayed_at END
         FROM webhook_subscriptions s
        WHERE d.subscription_id = s.id AND s.id = $1 AND s.api_key_id = $2 AND d.event_id = $3
        RETURNING d.id`,
      [subscriptionId, apiKeyId, eventId],
    );
    return rows.length > 0;
  }
}

async function insertAttempt(q: Queryable, deliveryId: number, attempt: DeliveryAttempt): Promise<void> {
  await q.query('INSERT INTO webhook_attempts (delivery_id, attempted_at, duration_ms, status_code, error) VALUES ($1, $2, $3, $4, $5)', [
    deliveryId,
    attempt.at,
    attempt.durationMs,
    attempt.statusCode,
    attempt.error,
  ]);
}
