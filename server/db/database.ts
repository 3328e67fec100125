import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../config.js';
import { closeToOthers, createPrivateFile, makePrivateDirectory } from '../private-files.js';
import { namingPool } from './postgres-statements.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

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
  const { db, bulkAppend } = openSqlite(url, busyTimeoutMs);
  return { db, kind: 'sqlite', bulkAppend, close: () => db.destroy() };
}
