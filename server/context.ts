import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import type { BulkAppend, DatabaseKind } from './db/database.js';
import type { Clock } from './shared/time.js';

/** What every domain service needs: built once by buildApp and handed to the routes. */
export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  databaseKind: DatabaseKind;
  bulkAppend: BulkAppend;
  clock: Clock;
  /** Tells the mail worker that a committed transaction queued mail. */
  mailQueued: () => void;
  captchaText: () => string;
}

/** Runs `work` in one transaction, with a context whose every query takes part in it. */
export function inTransaction<T>(ctx: AppContext, work: (tctx: AppContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}
