import * as Minio from 'minio';
import type { DistributedConfig } from '../../src/config/env.js';
import type { DistributedInfrastructure } from '../../src/composition/distributed-infrastructure.js';

/** A running API's settings and infrastructure: a distributed environment or the embedded API. */
type Installation = { config: DistributedConfig; runtime: DistributedInfrastructure };

/** Every object key in the installation's bucket: what a refused upload must not have left behind. */
export async function storedObjects(env: Installation): Promise<string[]> {
  const url = new URL(env.config.s3.endpoint);
  const client = new Minio.Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: env.config.s3.accessKey,
    secretKey: env.config.s3.secretKey,
    region: env.config.s3.region,
    pathStyle: true,
  });
  const keys: string[] = [];
  for await (const item of client.listObjects(env.config.s3.bucket, '', true) as AsyncIterable<Minio.BucketItem>) {
    if (item.name) keys.push(item.name);
  }
  return keys.sort();
}

/** Rows a submission writes: claims, their events and identifiers. */
export async function storedRows(env: Installation): Promise<{ claims: number; events: number; identifiers: number }> {
  const count = async (table: string) => Number((await env.runtime.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return { claims: await count('claims'), events: await count('claim_events'), identifiers: await count('claim_identifiers') };
}
