import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig, requireDistributed } from '../../src/config/env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}

// No Docker engine runs here, so the deployment files are checked against the code instead.
describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

  it('runs redis, minio, postgres, the API and a scalable worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'minio', 'postgres', 'redis', 'worker']);
    // A fixed container name or host port would stop `--scale worker=N`.
    expect(compose.services.worker).not.toHaveProperty('container_name');
    expect(compose.services.worker).not.toHaveProperty('ports');
  });

  it('configures Redis as BullMQ needs it: no eviction', () => {
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });

  it.each(['api', 'worker'])('gives the %s an environment the program accepts, with no unknown variable', (name) => {
    const service = compose.services[name]!;
    const env = service.environment!;
    expect(Object.keys(env).filter((k) => !ENVIRONMENT_VARIABLES.includes(k))).toEqual([]);
    expect(() => requireDistributed(loadConfig(env))).not.toThrow();
  });

  it.each(['api', 'worker'])('starts the %s with a program the build produces', (name) => {
    const command = compose.services[name]!.command!;
    expect(command[0]).toBe('node');
    expect(existsSync(path.join(ROOT, command[1]!))).toBe(true);
    expect(compose.services[name]!.build).toBe('.');
  });

  it('builds an image from sources that exist, with a default command that exists', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const source of copied) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(existsSync(path.join(ROOT, cmd[1]!))).toBe(true);
  });

  it('copies every folder the build reads into the build stage', () => {
    const copied = new Set([...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' ')));
    const compiled = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const bundled = [...scripts['build:ui']!.matchAll(/(?:^| )(\w+)\/\S+/g)].map((m) => m[1]!).filter((dir) => dir !== 'dist');
    expect(bundled).toContain('ui');
    for (const dir of [...compiled, ...bundled]) expect(copied, dir).toContain(dir);
  });
});
