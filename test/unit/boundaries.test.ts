import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What ships: the CLI, the API and the workers (the Dockerfile copies these and builds them). */
const SHIPPED = ['src', 'pipelines', 'workers'];
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** Every module a file imports, statically or with import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('what ships', () => {
  const files = SHIPPED.flatMap(sources);

  it('is found', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports nothing from the measuring tools, the tests or the benchmarks', () => {
    const crossings = files.flatMap((file) =>
      importsOf(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)))
        .filter((target) => !SHIPPED.some((dir) => target.startsWith(`${dir}/`)))
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('imports only runtime dependencies and Node built-ins, never a dev dependency', () => {
    const builtins = new Set(builtinModules);
    const outside = files.flatMap((file) =>
      importsOf(file)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
        .filter((s) => !(packageName(s) in pkg.dependencies) && !builtins.has(packageName(s)))
        .map((s) => `${file} → ${s}${packageName(s) in pkg.devDependencies ? ' (a dev dependency)' : ''}`),
    );
    expect(outside).toEqual([]);
  });
});
