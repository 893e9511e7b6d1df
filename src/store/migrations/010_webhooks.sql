-- Webhook subscriptions and the outbox of their deliveries.
--
-- A subscription belongs to the API key that made it and hears about the claims its tenant (the
-- key's name, claims.tenant) submitted. Its secret signs every delivery; the API shows it once.
CREATE TABLE webhook_subscriptions (
  id           text PRIMARY KEY,
  api_key_id   bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  tenant       text NOT NULL,
  url          text NOT NULL,
  events       text[] NOT NULL,
  description  text,
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_tenant_idx ON webhook_subscriptions (tenant);
CREATE INDEX webhook_subscriptions_key_idx ON webhook_subscriptions (api_key_id, created_at);

-- One row per claim event announced to at least one subscriber, written by ClaimStateWriter in the
-- transaction of the change itself: its id (evt_…) is what a receiver de-duplicates on, and its
-- data is the claim as the change left it, so a late delivery still tells what happened then
-- (json, not jsonb: its keys stay in the order the result contract writes them).
CREATE TABLE webhook_events (
  id              text PRIMARY KEY,
  claim_event_id  bigint NOT NULL UNIQUE REFERENCES claim_events (id) ON DELETE CASCADE,
  claim_id        text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  type            text NOT NULL,
  data            json NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per (subscription, event), written in the same transaction, so a crash
-- between the change and its delivery loses nothing. The id orders a claim's events for a
-- subscription: a delivery is sent only once every earlier one of its (subscription, claim) lane is
-- delivered. `round` counts the hand-overs to the queue and is part of the job id, so relaying a
-- round twice is a no-op and a failed delivery handed over again gets a fresh job.
CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id         text NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  claim_id         text NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  round            integer NOT NULL DEFAULT 0,
  relayed_at       timestamptz,
  delivered_at     timestamptz,
  failed_at        timestamptz,
  UNIQUE (subscription_id, event_id)
);
-- The undelivered rows of a lane, in order: "is anything earlier still to go?".
CREATE INDEX webhook_deliveries_lane_idx ON webhook_deliveries (subscription_id, claim_id, id) WHERE state <> 'delivered';
CREATE INDEX webhook_deliveries_unrelayed_idx ON webhook_deliveries (id) WHERE state = 'pending' AND relayed_at IS NULL;
CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (failed_at) WHERE state = 'failed';
CREATE INDEX webhook_deliveries_relayed_idx ON webhook_deliveries (relayed_at) WHERE state = 'pending' AND relayed_at IS NOT NULL;
CREATE INDEX webhook_deliveries_delivered_idx ON webhook_deliveries (delivered_at) WHERE state = 'delivered';
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);

-- Every attempt to send a delivery: when, how long, the receiver's status code or the error.
CREATE TABLE webhook_attempts (
  id            bigserial PRIMARY KEY,
  delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at  timestamptz NOT NULL,
  duration_ms   integer NOT NULL,
  status_code   integer,
  error         text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
