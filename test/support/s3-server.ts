import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface S3Server {
  endpoint: string;
  accessKey: string;
  secretKey: string;
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
  const start = async () => {
    server = new S3rver({ port: boundPort, address: '127.0.0.1', directory, silent: true });
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
    stop,
    start,
    close: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
