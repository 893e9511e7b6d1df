import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import S3rver from 's3rver';

export interface S3Server {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** Object writes (PUT, POST, COPY) the server has carried out for each key, counted as it makes them. */
  writesOf(key: string): number;
  /** Stops answering (as when the storage goes down); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** An S3-protocol server on loopback (s3rver), since no MinIO server installs here. */
export async function startS3Server(port = 0): Promise<S3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  let server: S3rver | null = null;
  let boundPort = port;
  const writes = new Map<string, number>();
  const start = async () => {
    server = new S3rver({ port: boundPort, address: '127.0.0.1', directory, silent: true });
    // s3rver is a Koa application: it emits an 'event' for every object it writes.
    (server as unknown as EventEmitter).on('event', (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) => {
      for (const record of event.Records) {
        if (record.eventName.startsWith('ObjectCreated:')) writes.set(record.s3.object.key, (writes.get(record.s3.object.key) ?? 0) + 1);
      }
    });
    const address = await server.run();
    boundPort = address.port;
  };
  const stop = async () => {
    await server?.close();
    server = null;
  };
  await start();
  return {
    // s3rver accepts this fixed key pair.
    endpoint: `http://127.0.0.1:${boundPort}`,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    writesOf: (key) => writes.get(key) ?? 0,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
