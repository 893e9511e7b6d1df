import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOKS_PER_KEY } from '../../../src/services/webhook-service.js';
import { useDistributedEnv, type DistributedEnv } from '../../support/distributed-env.js';

async function subscribe(env: DistributedEnv, key: string, body: unknown) {
  const response = await fetch(`${env.baseUrl}/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id?: string; error?: string; message?: string } };
}

describe('subscribing a URL, where private addresses are not allowed (the default)', () => {
  const env = useDistributedEnv();

  it.each([
    ['http://hooks.example.com/in', /must use https:/],
    ['https://127.0.0.1:8443/in', /not a public address/],
    ['https://localhost/in', /not a public address/],
    ['https://10.0.0.7/in', /not a public address/],
    ['https://169.254.169.254/latest/meta-data/', /not a public address/],
    ['https://[::1]/in', /not a public address/],
  ])('refuses %s, saying why, and keeps nothing', async (url, why) => {
    const refused = await subscribe(env(), env().keys.submitter, { url, events: ['claim.decided'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('WEBHOOK_URL_REFUSED');
    expect(refused.body.message).toMatch(why);
    expect(await env().runtime.db.query('SELECT 1 FROM webhook_subscriptions')).toEqual([]);
  });

  it('refuses an unknown event type or none, naming the field', async () => {
    const unknown = await subscribe(env(), env().keys.submitter, { url: 'https://93.184.215.14/in', events: ['claim.paid'] });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'INVALID_REQUEST' } });
    expect(JSON.stringify(unknown.body)).toContain('events.0');
    expect((await subscribe(env(), env().keys.submitter, { url: 'https://93.184.215.14/in', events: [] })).status).toBe(400);
  });

  it('takes an https URL on a public address, for keys that submit claims only', async () => {
    expect((await subscribe(env(), env().keys.reviewer, { url: 'https://93.184.215.14/in', events: ['claim.decided'] })).status).toBe(403);
    const taken = await subscribe(env(), env().keys.admin, { url: 'https://93.184.215.14/in', events: ['claim.decided'] });
    expect(taken.status).toBe(201);
  });

  it('refuses a key more subscriptions than a key may have, until it deletes one', async () => {
    const key = (await env().runtime.apiKeys.create('busy intake', 'submitter')).key;
    const body = { url: 'https://93.184.215.14/in', events: ['claim.decided'] };
    const made = [];
    for (let i = 0; i < MAX_WEBHOOKS_PER_KEY; i++) made.push(await subscribe(env(), key, body));
    expect(made.every((m) => m.status === 201)).toBe(true);
    expect(await subscribe(env(), key, body)).toMatchObject({ status: 409, body: { error: 'TOO_MANY_WEBHOOKS' } });
    const gone = await fetch(`${env().baseUrl}/webhooks/${made[0]!.body.id!}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(gone.status).toBe(204);
    expect((await subscribe(env(), key, body)).status).toBe(201);
  });

  it('is described in the OpenAPI document by the schemas that validate it', async () => {
    const doc = await (await fetch(`${env().baseUrl}/openapi.json`)).json();
    const events = doc.paths['/webhooks'].post.requestBody.content['application/json'].schema.properties.events.items.enum;
    expect(events).toEqual([
      'claim.decided',
      'claim.needs_review',
      'claim.customer_asked',
      'claim.customer_reminded',
      'claim.document_received',
      'claim.closed',
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/webhooks/{id}', '/webhooks/{id}/deliveries', '/webhooks/{id}/deliveries/{eventId}/redeliver']),
    );
  });

  it('counts the webhook queue in the API metrics', async () => {
    const metrics = await fetch(`${env().baseUrl}/metrics`, { headers: { authorization: `Bearer ${env().keys.admin}` } });
    expect(await metrics.text()).toMatch(/warranty_queue_jobs\{queue="webhooks",state="delayed",process="api"\} 0/);
  });
});
