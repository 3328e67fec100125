import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

// PostgreSQL parses, analyses and plans every statement it is sent unnamed:
// under load, most of its CPU per directory search. A named (prepared)
// statement is parsed once per connection, so each connection of the pool
// names the statements it runs after their SQL text (server CPU per search
// on the shipped directory: 1.1 → 0.56 ms).
//
// Whether a plan is kept too is PostgreSQL's default choice (plan_cache_mode
// auto), measured right for the directory: look-ups by key take a generic
// plan, planned once; full-text searches keep a plan for each search, as a
// generic one reads and sorts every match of a word, which is 18 times slower
// for "saint" over the shipped directory and 350 times over a million units
// (the tests check that those searches keep custom plans).

/**
 * Named statements a connection keeps; past this, the least recently used is
 * deallocated. Each holds its plan in the server, about 55 kB (measured over
 * the directory search's): at most some 5 MB per connection. A search runs
 * fewer than ten, a registration a few dozen; rarer ones come and go.
 */
export const STATEMENTS_PER_CONNECTION = 100;

/**
 * Longer statements are sent unnamed. The service's are shorter, but for
 * generated ones, such as a CASE over every département.
 */
export const LONGEST_NAMED_STATEMENT = 2000;

// A multi-row VALUES list ("($1, $2), ($3, $4)"): a bulk insert, whose text
// changes with the number of rows, so that a name would seldom be used twice
// while it pushed the service's own statements out of the connection's cache.
const MANY_ROWS = '), ($';

// What PostgreSQL plans: utility statements (BEGIN, DDL, SET, ANALYZE…) gain nothing from a name.
const PLANNED = /^\s*(?:select|insert|update|delete|with)\b/i;

// Columns taken with `*` (SELECT *, t.*, RETURNING *), not count(*): a column
// added to the table changes what a kept plan of it returns.
const EXPANDS_COLUMNS = /[\s.,]\*(?:[\s,]|$)/;

function statementName(text: string): string {
  return `guichet_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** Another connection changed a table: a kept plan whose columns are no longer those the statement returns. */
function isChangedResultType(error: unknown): boolean {
  return codeOf(error) === '0A000' && (error as { routine?: string }).routine === 'RevalidateCachedQuery';
}

/** The server no longer holds a statement the connection named (a DISCARD ALL or DEALLOCATE behind our back). */
function isMissingStatement(error: unknown): boolean {
  return codeOf(error) === '26000';
}

/**
 * pg remembers which names it has had parsed on a connection, and parses
 * them no more; it has no way to forget one, and would then bind a statement
 * that the server no longer holds. Its record is this map, unchanged since
 * its first versions (pg is pinned; the tests deallocate and re-prepare).
 */
function parsedStatements(client: pg.PoolClient): Record<string, string> {
  return (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
}

/** What all the connections of a pool share. */
interface PoolState {
  /** Raised when a connection learns that the schema changed: every connection's statements are then dropped. */
  schemaGeneration: number;
}

class NamingClient implements PostgresPoolClient {
  /** SQL text → name, least recently used first. */
  private readonly names = new Map<string, string>();
  private schemaGeneration: number;
  private stale = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pool: PoolState,
  ) {
    this.schemaGeneration = pool.schemaGeneration;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return this.client.query(sqlOrCursor as never);
    // One statement at a time, as the connection runs them anyway: the
    // transaction state read before each is the one it runs in, and a
    // deallocation is never sent between another statement's steps.
    const run = this.queue.then(() => this.run<R>(sqlOrCursor, [...(parameters ?? [])]));
    this.queue = run.catch(() => undefined);
    return run;
  }

  release(destroy?: boolean): void {
    this.client.release(destroy);
  }

  private async run<R>(text: string, values: unknown[]): Promise<PostgresQueryResult<R>> {
    const state = this.client.getTransactionStatus();
    // In a failed transaction every statement but ROLLBACK fails: nothing to
    // prepare, nor to deallocate. In a transaction block, a statement taking
    // columns with `*` is sent unnamed: a column added by another instance
    // would make its kept plan fail, and with it the transaction (see below).
    if (
      state === 'E' ||
      text.length > LONGEST_NAMED_STATEMENT ||
      !PLANNED.test(text) ||
      text.includes(MANY_ROWS) ||
      (state === 'T' && EXPANDS_COLUMNS.test(text))
    ) {
      return this.client.query(text, values) as unknown as PostgresQueryResult<R>;
    }
    if (this.stale || this.schemaGeneration !== this.pool.schemaGeneration) await this.dropAll();
    try {
      return await this.runNamed<R>(text, values);
    } catch (error) {
      if (!isChangedResultType(error) && !isMissingStatement(error)) throw error;
      // News to the pool unless another connection has told it since this one caught up.
      if (isChangedResultType(error) && this.schemaGeneration === this.pool.schemaGeneration) this.pool.schemaGeneration++;
      this.stale = true;
      // The statement was refused before it ran. Outside a transaction block
      // nothing else was lost: prepared anew, it runs once more. Inside one,
      // the error has aborted the transaction, whose earlier statements only
      // its caller can replay; the statements are dropped before the
      // connection's next one, after the rollback.
      if (state !== 'I') throw error;
      await this.dropAll();
      return this.runNamed<R>(text, values);
    }
  }

  private async runNamed<R>(text: string, values: unknown[]): Promise<PostgresQueryResult<R>> {
    let name = this.names.get(text);
    if (name === undefined) {
      if (this.names.size >= STATEMENTS_PER_CONNECTION) await this.dropLeastRecentlyUsed();
      name = statementName(text);
    } else {
      this.names.delete(text);
    }
    this.names.set(text, name);
    return (await this.client.query({ name, text, values })) as unknown as PostgresQueryResult<R>;
  }

  private async dropLeastRecentlyUsed(): Promise<void> {
    const [text, name] = this.names.entries().next().value!;
    this.names.delete(text);
    const parsed = parsedStatements(this.client);
    // A statement whose parsing failed was never kept.
    if (!(name in parsed)) return;
    await this.client.query(`DEALLOCATE "${name}"`);
    delete parsed[name];
  }

  private async dropAll(): Promise<void> {
    await this.client.query('DEALLOCATE ALL');
    const parsed = parsedStatements(this.client);
    for (const name of Object.keys(parsed)) delete parsed[name];
    this.names.clear();
    this.stale = false;
    this.schemaGeneration = this.pool.schemaGeneration;
  }
}

/**
 * A pg pool whose connections run the service's statements as named
 * prepared statements (see NamingClient), for Kysely's PostgresDialect.
 */
export function namingPool(pool: pg.Pool): PostgresPool {
  const state: PoolState = { schemaGeneration: 0 };
  // The pool hands out the same pg clients again: each keeps its names.
  const clients = new WeakMap<pg.PoolClient, NamingClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let naming = clients.get(client);
      if (!naming) clients.set(client, (naming = new NamingClient(client, state)));
      return naming;
    },
    end: () => pool.end(),
  };
}
