import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The built front end (npm run build bundles ui/ into dist/ui), found from the package root. */
function workbenchDir(): string {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the API code');
    dir = parent;
  }
  return path.join(dir, 'dist', 'ui');
}

const ASSETS = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' } as const;

// Everything the page loads comes from this origin; no inline script or style, no framing
// (clickjacking). The other security headers are helmet's, as on every route.
const WORKBENCH_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'img-src': ["'self'", 'blob:'],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
    },
  },
};

/** Serves the workbench page and its two assets from memory: they are small and change only with a deploy. */
export default async function workbench(app: FastifyInstance): Promise<void> {
  const dir = workbenchDir();
  const files = new Map<string, Buffer>();
  for (const name of ['index.html', ...Object.keys(ASSETS)]) {
    files.set(
      name,
      await readFile(path.join(dir, name)).catch(() => {
        throw new Error(`the reviewer workbench is not built (${path.join(dir, name)} is missing): run npm run build`);
      }),
    );
  }
  const send = (reply: FastifyReply, name: string, type: string) =>
    reply.type(type).header('cache-control', 'no-cache').send(files.get(name));

  app.get('/review', { schema: { hide: true }, helmet: WORKBENCH_HEADERS }, async (_request, reply) =>
    send(reply, 'index.html', 'text/html; charset=utf-8'),
  );
  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/review/assets/${name}`, { schema: { hide: true }, helmet: WORKBENCH_HEADERS }, async (_request, reply) =>
      send(reply, name, type),
    );
  }
}
