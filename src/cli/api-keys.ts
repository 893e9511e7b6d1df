import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { ApiKeysRepository, ROLES, type Role } from '../store/api-keys-repository.js';
import { configuredDatabase, openDatabase } from '../store/database.js';

/** `warranty api-key create --name <who> --role <role>` and `warranty api-key revoke <id>`. */
export async function runApiKeyCommand(args: string[], options: { name?: string; role?: string }, config: Config): Promise<void> {
  const [action, id] = args;
  if (action !== 'create' && action !== 'revoke') throw new UsageError('api-key needs create or revoke');
  if (action === 'create' && !options.name) throw new UsageError('api-key create needs --name');
  if (action === 'create' && !ROLES.includes(options.role as Role)) throw new UsageError(`api-key create needs --role ${ROLES.join('|')}`);
  if (action === 'revoke' && !/^\d+$/.test(id ?? '')) throw new UsageError('api-key revoke needs the key id');
  const db = await openDatabase(configuredDatabase(config));
  try {
    const keys = new ApiKeysRepository(db);
    if (action === 'create') {
      const { key, owner } = await keys.create(options.name!, options.role as Role);
      process.stderr.write(`API key ${owner.id} for ${owner.name} (${owner.role}); it is shown only now:\n`);
      process.stdout.write(`${key}\n`);
    } else if (!(await keys.revoke(Number(id)))) {
      throw new UsageError(`no active API key ${id}`);
    }
  } finally {
    await db.close();
  }
}
