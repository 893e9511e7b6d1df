import { text } from 'node:stream/consumers';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { HashingSlots } from '../auth/hashing-slots.js';
import { AccountService } from '../services/account-service.js';
import { SignInAttemptsRepository } from '../store/sign-in-attempts-repository.js';
import { ROLES, type Role } from '../store/api-keys-repository.js';
import { configuredDatabase, openDatabase, type Database } from '../store/database.js';
import { ReviewRepository } from '../store/review-repository.js';
import { UsersRepository } from '../store/users-repository.js';

async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(configuredDatabase(config));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * `warranty user create --name <who> --role reviewer` (the password is read from stdin, so it
 * stays out of the shell history and the process list) and `warranty user disable <who>`.
 */
export async function runUserCommand(args: string[], options: { name?: string; role?: string }, config: Config): Promise<void> {
  const [action, name] = args;
  if (action === 'create') {
    if (!options.name) throw new UsageError('user create needs --name');
    if (!ROLES.includes(options.role as Role)) throw new UsageError(`user create needs --role ${ROLES.join('|')}`);
    if (process.stdin.isTTY) process.stderr.write(`Password for ${options.name} (then Enter, Ctrl-D): `);
    const password = (await text(process.stdin)).replace(/\r?\n$/, '');
    await withDatabase(config, async (db) => {
      const account = await new AccountService({
        users: new UsersRepository(db),
        signInAttempts: new SignInAttemptsRepository(db),
        hashing: new HashingSlots(1, 0),
        sessionSeconds: config.review.sessionHours * 3600,
      }).create(options.name!, password, options.role as Role);
      process.stderr.write(`account ${account.username} (${account.role}) created\n`);
    });
  } else if (action === 'disable') {
    if (!name) throw new UsageError('user disable needs the user name');
    const disabled = await withDatabase(config, (db) => new UsersRepository(db).disable(name));
    if (!disabled) throw new UsageError(`no active account ${name}`);
  } else {
    throw new UsageError('user needs create or disable');
  }
}

/** `warranty review-corrections`: every reviewer correction as one JSON object a line, for the evaluation. */
export async function exportCorrections(config: Config): Promise<void> {
  await withDatabase(config, async (db) => {
    for await (const example of new ReviewRepository(db).corrections()) process.stdout.write(`${JSON.stringify(example)}\n`);
  });
}
