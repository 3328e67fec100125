import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.js';
import { LONGEST_NAMED_STATEMENT, STATEMENTS_PER_CONNECTION } from '../../../server/db/postgres-statements.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir } from '../../support/test-database.js';

// How the service's PostgreSQL connections keep their statements prepared,
// on the real server whichever project runs this file: two handles on one
// database stand for two service instances.

let name = '';
let handles: DatabaseHandle[] = [];
const open = (): Kysely<any> => {
  const handle = openDatabase(postgresUrl(name));
  handles.push(handle);
  return handle.db as Kysely<any>;
};

beforeEach(async () => {
  name = `guichet_statements_${randomBytes(4).toString('hex')}`;
  await createPostgresDatabase(name);
  const db = open();
  await sql`CREATE TABLE things (id integer PRIMARY KEY, label text NOT NULL)`.execute(db);
  await sql`INSERT INTO things VALUES (1, 'un'), (2, 'deux'), (3, 'trois')`.execute(db);
});

afterEach(async () => {
  for (const handle of handles) await handle.close();
  handles = [];
  await dropPostgresDatabase(name);
});

/** The statements the connection has prepared, by their SQL text (this query's own among them). */
async function prepared(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db);
  return rows.map((r) => r.statement);
}

const thing = (db: Kysely<any>, id: number) => db.selectFrom('things').selectAll().where('id', '=', id).executeTakeFirst();

describe('statements on PostgreSQL', () => {
  it('are prepared once per connection, but not utility statements, multi-row inserts nor very long statements', async () => {
    const db = open();
    await db.connection().execute(async (connection) => {
      expect(await thing(connection, 1)).toEqual({ id: 1, label: 'un' });
      expect(await thing(connection, 2)).toEqual({ id: 2, label: 'deux' });
      await connection
        .insertInto('things')
        .values([
          { id: 4, label: 'quatre' },
          { id: 5, label: 'cinq' },
        ])
        .execute();
      const many = connection.selectFrom('things').select('label').where('id', 'in', Array.from({ length: 400 }, (_, i) => i));
      expect(many.compile().sql.length).toBeGreaterThan(LONGEST_NAMED_STATEMENT);
      expect(await many.execute()).toHaveLength(5);
      await sql`ANALYZE things`.execute(connection);
      expect((await prepared(connection)).filter((statement) => statement.includes('things'))).toEqual(['select * from "things" where "id" = $1']);
    });
  });

  it('keep at most STATEMENTS_PER_CONNECTION per connection, dropping the least recently used, which runs again when asked', async () => {
    const db = open();
    await db.connection().execute(async (connection) => {
      const nth = (i: number) => sql<{ n: number }>`SELECT ${sql.lit(i)} + ${1}::integer AS n`.execute(connection);
      for (let i = 0; i < STATEMENTS_PER_CONNECTION + 20; i++) expect((await nth(i)).rows).toEqual([{ n: i + 1 }]);
      const kept = await prepared(connection);
      expect(kept).toHaveLength(STATEMENTS_PER_CONNECTION);
      expect(kept).not.toContain('SELECT 0 + $1::integer AS n');
      expect((await nth(0)).rows).toEqual([{ n: 1 }]);
      expect(await prepared(connection)).toContain('SELECT 0 + $1::integer AS n');
    });
  });

  it('answer after another instance adds a column, on every connection of the pool', async () => {
    const searching = open();
    const migrating = open();
    // As many at once as the pool has connections: each prepares the statement.
    const all = () => Promise.all(Array.from({ length: 20 }, (_, i) => thing(searching, 1 + (i % 3))));
    await all();
    await sql`ALTER TABLE things ADD COLUMN added text`.execute(migrating);
    expect(await all()).toEqual(Array.from({ length: 20 }, (_, i) => ({ id: 1 + (i % 3), label: ['un', 'deux', 'trois'][i % 3], added: null })));
  });

  it('answer after the connection lost its statements behind the pool’s back (DEALLOCATE ALL, DISCARD ALL)', async () => {
    const db = open();
    await db.connection().execute(async (connection) => {
      await thing(connection, 1);
      await sql`DEALLOCATE ALL`.execute(connection);
      expect(await thing(connection, 1)).toEqual({ id: 1, label: 'un' });
      await sql`DISCARD ALL`.execute(connection);
      expect(await thing(connection, 2)).toEqual({ id: 2, label: 'deux' });
    });
  });

  it('in a transaction: a statement taking `*` runs unnamed and survives an added column', async () => {
    const db = open();
    const migrating = open();
    const inTransaction = () => db.transaction().execute((trx) => thing(trx, 3));
    await inTransaction();
    await inTransaction();
    await sql`ALTER TABLE things ADD COLUMN added text`.execute(migrating);
    expect(await inTransaction()).toEqual({ id: 3, label: 'trois', added: null });
  });

  it('in a transaction: a changed column type fails that transaction once, and the next one runs', async () => {
    const db = open();
    const migrating = open();
    const label = (executor: Kysely<any>) => executor.selectFrom('things').select(['id', 'label']).where('id', '=', 2).executeTakeFirst();
    await db.connection().execute(async (connection) => {
      await label(connection);
      await sql`ALTER TABLE things ALTER COLUMN label TYPE varchar(100)`.execute(migrating);
      await sql`BEGIN`.execute(connection);
      // The kept plan returned text: PostgreSQL refuses it, which aborts the
      // transaction; replaying what came before in it is for its caller.
      await expect(label(connection)).rejects.toMatchObject({ code: '0A000' });
      await sql`ROLLBACK`.execute(connection);
      await sql`BEGIN`.execute(connection);
      expect(await label(connection)).toEqual({ id: 2, label: 'deux' });
      await sql`COMMIT`.execute(connection);
    });
  });

  it('once one connection has met a changed table, the others drop their statements before a transaction meets it', async () => {
    const db = open();
    const migrating = open();
    const label = (executor: Kysely<any>) => executor.selectFrom('things').select(['id', 'label']).where('id', '=', 1).executeTakeFirst();
    await db.connection().execute(async (first) => {
      await db.connection().execute(async (second) => {
        await label(first);
        await label(second);
        await sql`ALTER TABLE things ALTER COLUMN label TYPE varchar(100)`.execute(migrating);
        // Outside a transaction: prepared again and run once more.
        expect(await label(first)).toEqual({ id: 1, label: 'un' });
        await sql`BEGIN`.execute(second);
        expect(await label(second)).toEqual({ id: 1, label: 'un' });
        await sql`COMMIT`.execute(second);
      });
    });
  });

  it('keep custom plans for the directory’s full-text searches: a generic one reads every match of a common word', { timeout: 120_000 }, async () => {
    const dataDir = tempDir('guichet-plans-');
    const app = await buildApp(loadConfig({ DATA_DIR: dataDir, WEB_ROOT: '', DATABASE_URL: postgresUrl(name) }), { logger: false, startMailWorker: false });
    try {
      await app.ctx.db.connection().execute(async (connection) => {
        // Common words first, then rare ones: PostgreSQL's default (plan_cache_mode
        // auto) weighs a generic plan against the custom plans made so far.
        for (const q of ['saint', 'commune de', 'saint', 'communaute', 'lyon', 'grenoble', 'aulnay', 'metz']) {
          for (let i = 0; i < 4; i++) await searchDirectory(connection, 'postgres', q, 1);
        }
        const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
          SELECT generic_plans, custom_plans FROM pg_prepared_statements
          WHERE statement LIKE '%search_vector @@%' AND statement NOT LIKE '%pg_prepared_statements%'`.execute(connection);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toMatchObject({ generic_plans: 0, custom_plans: expect.any(Number) });
      });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
