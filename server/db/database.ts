import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../config.js';
import { closeToOthers, createPrivateFile, makePrivateDirectory } from '../private-files.js';
import { namingPool } from './postgres-statements.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * Appends many rows to a table, inside the caller's transaction. `values`
 * holds the rows one after the other, each in `columns` order: no object per
 * row to build, then to take apart.
 */
export type BulkAppend = <T extends keyof Database>(
  trx: Kysely<Database>,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  values: readonly unknown[],
) => Promise<void>;

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  bulkAppend: BulkAppend;
  close(): Promise<void>;
}

/**
 * On PostgreSQL, each column's values bound as one array and spread by
 * unnest(): as many parameters as columns whatever the rows, where a many-row
 * VALUES binds, and the server parses, one per value (staging a million
 * units: 16 s with VALUES). Each array is cast to its column's type, read
 * once per table.
 */
function postgresAppend(): BulkAppend {
  const columnTypes = new Map<string, Map<string, string>>();
  const typesOf = async (trx: Kysely<Database>, table: string): Promise<Map<string, string>> => {
    let types = columnTypes.get(table);
    if (!types) {
      const { rows } = await sql<{ column_name: string; data_type: string }>`
        SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx);
      types = new Map(rows.map((r) => [r.column_name, r.data_type]));
      columnTypes.set(table, types);
    }
    return types;
  };
  return async (trx, table, columns, values) => {
    if (values.length === 0) return;
    const types = await typesOf(trx, table);
    const width = columns.length;
    const arrays = columns.map((column, j) => {
      const columnValues: unknown[] = [];
      for (let i = j; i < values.length; i += width) columnValues.push(values[i]);
      return sql`${columnValues}::${sql.raw(`${types.get(column)}[]`)}`;
    });
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(trx);
  };
}

// Rows bound by one run of a prepared statement: better-sqlite3 costs per
// call as well as per value (staging units 100 a call, by position: 1.5×
// faster than one call a row with named values).
const ROWS_PER_STATEMENT = 100;

/**
 * On SQLite, statements prepared once and run with positional values beat a
 * many-row INSERT that SQLite must parse anew each time (measured: 2.3× on
 * the Sirene import). They run on the very connection Kysely uses, so they
 * join the caller's transaction.
 */
function sqliteAppend(sqlite: SQLite.Database): BulkAppend {
  const statements = new Map<string, SQLite.Statement>();
  const prepared = (table: string, columns: readonly string[], rows: number): SQLite.Statement => {
    const key = `${table}(${columns.join(',')})×${rows}`;
    let statement = statements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(',')})`;
      statement = sqlite.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${Array(rows).fill(row).join(',')}`);
      statements.set(key, statement);
    }
    return statement;
  };
  return async (_trx, table, columns, values) => {
    const width = columns.length;
    const span = width * ROWS_PER_STATEMENT;
    let i = 0;
    if (values.length >= span) {
      const many = prepared(table, columns, ROWS_PER_STATEMENT);
      for (; i + span <= values.length; i += span) many.run(values.slice(i, i + span));
    }
    if (i < values.length) {
      const one = prepared(table, columns, 1);
      for (; i < values.length; i += width) one.run(values.slice(i, i + width));
    }
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares each statement anew, and SQLite's parsing and planning were
 * 7 % of a registration's CPU time under load. Statements are kept by their
 * SQL text (the service has a few hundred); one busy streaming its rows is
 * left alone and a fresh one prepared.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Transactions take SQLite's write lock when they begin. A deferred BEGIN
 * reads first and asks for the lock at its first write: if another process
 * wrote in between, SQLite fails it at once (SQLITE_BUSY_SNAPSHOT) instead of
 * waiting, and two service instances on one file answered 503 under load.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.settings);
  }
}

// BIGINT (int8) values here are counts and ranking keys, all below 2^53:
// read them as numbers, as SQLite returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export interface OpenOptions {
  /** How long a statement waits for another connection's lock before failing (SQLITE_BUSY, or PostgreSQL's lock timeout). */
  busyTimeoutMs?: number;
}

/** Opens the database named by a SQLite file path or a postgres:// URL. */
export function openDatabase(url: string, { busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS }: OpenOptions = {}): DatabaseHandle {
  if (isPostgresUrl(url)) {
    // JIT compilation pays off for long analytical queries; the service's are
    // short, and a count over a large directory crosses its cost threshold,
    // which then adds tens of milliseconds of compiling to a search. An
    // `options` in DATABASE_URL takes precedence.
    const pool = new pg.Pool({ connectionString: url, max: 10, lock_timeout: busyTimeoutMs, options: '-c jit=off' });
    // A server restart or a dropped connection breaks idle clients: the pool
    // discards them and connects afresh on the next query. Without a listener
    // the 'error' event it emits would end the whole service.
    pool.on('error', () => undefined);
    // The service's statements run prepared, each connection keeping its own (postgres-statements.ts).
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingPool(pool) }) });
    return { db, kind: 'postgres', bulkAppend: postgresAppend(), close: () => db.destroy() };
  }
  makePrivateDirectory(path.dirname(url));
  // SQLite creates the write-ahead log and shared memory with the database
  // file's mode: a file created 0600 keeps all three private.
  createPrivateFile(url);
  for (const file of [url, `${url}-wal`, `${url}-shm`]) closeToOthers(file);
  const sqlite = new SQLite(url);
  // WAL lets searches read while a registration writes; the busy timeout makes
  // concurrent writers wait for each other instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const db = new Kysely<Database>({ dialect: new ImmediateTransactionDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind: 'sqlite', bulkAppend: sqliteAppend(sqlite), close: () => db.destroy() };
}
