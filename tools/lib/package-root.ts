import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's folder (the one holding package.json) above `from`: the same whether a tool runs
 * from its source (tools/…) or built (dist/tools/…).
 */
export function packageRoot(from: string = import.meta.dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
