import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { BulkAppend } from './database.js';
import type { Database } from './schema.js';

// SQLite through Node's own driver (node:sqlite): the service, its tests and
// the desktop app's utility process (Electron's Node) run one SQLite with no
// native module to build for each Node's ABI. The same SQLite, compiled with
// FTS5 and dbstat, is in Node 24 and in Electron 40 and later.

// Result code names by number, from sqlite3.h: node:sqlite reports a failure
// as ERR_SQLITE_ERROR with the extended code as a number, where the service
// tells a busy database, a full disk or a duplicate by SQLite's names.
const PRIMARY = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND', 'FULL',
  'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB',
  'NOTICE', 'WARNING',
];
/** Each primary code's extended codes, the first being (1 << 8) | primary. */
const EXTENDED: Record<string, (string | null)[]> = {
  ERROR: ['MISSING_COLLSEQ', 'RETRY', 'SNAPSHOT', 'RESERVESIZE', 'KEY', 'UNABLE'],
  ABORT: [null, 'ROLLBACK'],
  BUSY: ['RECOVERY', 'SNAPSHOT', 'TIMEOUT'],
  LOCKED: ['SHAREDCACHE', 'VTAB'],
  READONLY: ['RECOVERY', 'CANTLOCK', 'ROLLBACK', 'DBMOVED', 'CANTINIT', 'DIRECTORY'],
  IOERR: [
    'READ', 'SHORT_READ', 'WRITE', 'FSYNC', 'DIR_FSYNC', 'TRUNCATE', 'FSTAT', 'UNLOCK', 'RDLOCK', 'DELETE', 'BLOCKED', 'NOMEM', 'ACCESS',
    'CHECKRESERVEDLOCK', 'LOCK', 'CLOSE', 'DIR_CLOSE', 'SHMOPEN', 'SHMSIZE', 'SHMLOCK', 'SHMMAP', 'SEEK', 'DELETE_NOENT', 'MMAP',
    'GETTEMPPATH', 'CONVPATH', 'VNODE', 'AUTH', 'BEGIN_ATOMIC', 'COMMIT_ATOMIC', 'ROLLBACK_ATOMIC', 'DATA', 'CORRUPTFS', 'IN_PAGE',
    'BADKEY', 'CODEC',
  ],
  CORRUPT: ['VTAB', 'SEQUENCE', 'INDEX'],
  CANTOPEN: ['NOTEMPDIR', 'ISDIR', 'FULLPATH', 'CONVPATH', 'DIRTYWAL', 'SYMLINK'],
  CONSTRAINT: ['CHECK', 'COMMITHOOK', 'FOREIGNKEY', 'FUNCTION', 'NOTNULL', 'PRIMARYKEY', 'TRIGGER', 'UNIQUE', 'VTAB', 'ROWID', 'PINNED', 'DATATYPE'],
  AUTH: ['USER'],
  NOTICE: ['RECOVER_WAL', 'RECOVER_ROLLBACK', 'RBU'],
  WARNING: ['AUTOINDEX'],
};

/** SQLite's name of a result code: 2067 is SQLITE_CONSTRAINT_UNIQUE. */
export function sqliteCodeName(code: number): string {
  const primary = PRIMARY[code & 0xff];
  if (primary === undefined) return `SQLITE_${code}`;
  const extended = code >> 8 ? EXTENDED[primary]?.[(code >> 8) - 1] : null;
  return extended ? `SQLITE_${primary}_${extended}` : `SQLITE_${primary}`;
}

/** Gives a node:sqlite error the code better-sqlite3 gave it, which the rest of the service reads. */
function named(error: unknown): unknown {
  if (error instanceof Error && 'errcode' in error && typeof error.errcode === 'number') {
    Object.assign(error, { code: sqliteCodeName(error.errcode) });
  }
  return error;
}

function translated<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw named(error);
  }
}

/** Kysely's SQLite statement (better-sqlite3's shape) over a node:sqlite one. */
class Statement implements SqliteStatement {
  readonly reader: boolean;

  constructor(
    private readonly connection: DatabaseSync,
    private readonly text: string,
    private readonly statement: StatementSync,
  ) {
    // INSERT … RETURNING has columns too: it is read like a SELECT.
    this.reader = statement.columns().length > 0;
  }

  all(parameters: readonly unknown[]): unknown[] {
    return translated(() => this.statement.all(...(parameters as SQLInputValue[])));
  }

  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return translated(() => this.statement.run(...(parameters as SQLInputValue[])));
  }

  iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    // A statement of its own: the cached one, run by another query while
    // the rows stream, would be reset under them.
    return translated(() => this.connection.prepare(this.text).iterate(...(parameters as SQLInputValue[])));
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares each statement anew, and SQLite's parsing and planning were
 * 7 % of a registration's CPU time under load. Statements are kept by their
 * SQL text (the service has a few hundred).
 */
function cachedStatements(connection: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => connection.close(),
    prepare: (text) => {
      let statement = cache.get(text);
      if (!statement) {
        statement = new Statement(connection, text, translated(() => connection.prepare(text)));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(text, statement);
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
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver({ database: this.database });
  }
}

// Rows bound by one run of a prepared statement: each run costs a call
// besides its values (measured with better-sqlite3, staging units 100 a
// call by position: 1.5× faster than one call a row with named values).
const ROWS_PER_STATEMENT = 100;

/**
 * Statements prepared once and run with positional values beat a many-row
 * INSERT that SQLite must parse anew each time (measured: 2.3× on the Sirene
 * import). They run on the very connection Kysely uses, so they join the
 * caller's transaction.
 */
function bulkAppend(connection: DatabaseSync): BulkAppend {
  const statements = new Map<string, StatementSync>();
  const prepared = (table: string, columns: readonly string[], rows: number): StatementSync => {
    const key = `${table}(${columns.join(',')})×${rows}`;
    let statement = statements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(',')})`;
      statement = translated(() => connection.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${Array(rows).fill(row).join(',')}`));
      statements.set(key, statement);
    }
    return statement;
  };
  return async (_trx, table, columns, values) => {
    const width = columns.length;
    const span = width * ROWS_PER_STATEMENT;
    const bound = values as SQLInputValue[];
    let i = 0;
    try {
      if (bound.length >= span) {
        const many = prepared(table, columns, ROWS_PER_STATEMENT);
        for (; i + span <= bound.length; i += span) many.run(...bound.slice(i, i + span));
      }
      if (i < bound.length) {
        const one = prepared(table, columns, 1);
        for (; i < bound.length; i += width) one.run(...bound.slice(i, i + width));
      }
    } catch (error) {
      throw named(error);
    }
  };
}

export interface SqliteHandle {
  db: Kysely<Database>;
  bulkAppend: BulkAppend;
}

/** Opens (or creates) a SQLite file for the service: WAL, foreign keys, the given busy timeout. */
export function openSqlite(file: string, busyTimeoutMs: number): SqliteHandle {
  return translated(() => {
    // The busy timeout makes concurrent writers wait for each other instead
    // of failing at once, from the first statement on.
    const connection = new DatabaseSync(file, { timeout: busyTimeoutMs });
    // WAL lets searches read while a registration writes. A 16 MiB page
    // cache, as better-sqlite3 (used before) was built with: Node's SQLite
    // keeps SQLite's default 2 MiB.
    connection.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000');
    const db = new Kysely<Database>({ dialect: new ImmediateTransactionDialect(cachedStatements(connection)) });
    return { db, bulkAppend: bulkAppend(connection) };
  });
}
