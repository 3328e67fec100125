import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { isPublicBody, sizeScore } from '../../directory/ranking.js';
import { foldForSearch, indexWords } from '../../shared/text.js';

// The directory at national scale: Sirene's fields, a ranking key, a
// full-text index of its own kind on each database (FTS5 on SQLite, a GIN
// tsvector on PostgreSQL — same words, same prefix matching), and the
// staging tables that let an import build a whole new state before applying
// it in one transaction.

// The search rank as this version laid it out (2026-12-16-forgiving-search
// moves it to today's layout): public body, size, SIREN.
function searchRank(publicBody: boolean, people: number, siren: string): number {
  return ((publicBody ? 1 : 0) * 2 ** 20 + sizeScore(people)) * 2 ** 30 + Number(siren);
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const [column, type] of [
    ['sigle', 'text'],
    ['activity', 'text'],
    ['head_siret', 'text'],
    ['address', 'text'],
    ['updated_at', 'text'],
  ] as const) {
    await db.schema.alterTable('organisations').addColumn(column, type).execute();
  }
  await db.schema.alterTable('organisations').addColumn('state', 'text', (c) => c.notNull().defaultTo('A')).execute();
  await db.schema.alterTable('organisations').addColumn('diffusion', 'text', (c) => c.notNull().defaultTo('O')).execute();
  await db.schema.alterTable('organisations').addColumn('name_words', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('organisations').addColumn('place_words', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('organisations').addColumn('search_rank', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  // Staging tables are plain appends (no key to maintain while millions of
  // rows stream in); applying indexes them once, then merges.
  // The organisations loaded by earlier versions: communes and EPCI.
  const rows: { siren: string; name: string; kind: string; legal_category: string; town: string | null; postcodes: string; departement: string | null; population: number }[] =
    await db.selectFrom('organisations').select(['siren', 'name', 'kind', 'legal_category', 'town', 'postcodes', 'departement', 'population']).execute();
  for (const r of rows) {
    const nameWords = indexWords(r.kind === 'Commune' ? ['commune', r.name] : [r.name]);
    const placeWords = indexWords([r.kind === 'Commune' ? null : r.town, r.postcodes, r.departement]);
    await db
      .updateTable('organisations')
      .set({
        name_words: nameWords,
        place_words: placeWords,
        name_key: foldForSearch(r.name),
        search_rank: searchRank(isPublicBody(r.legal_category), r.population, r.siren),
      })
      .where('siren', '=', r.siren)
      .execute();
  }
  await db.schema.createIndex('organisations_search_rank').unique().on('organisations').column('search_rank').execute();

  if (postgres) {
    await sql`ALTER TABLE organisations ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED`.execute(db);
    await sql`CREATE INDEX organisations_search_vector ON organisations USING gin (search_vector)`.execute(db);
  } else {
    // Contentless, with deletes by row id: the index stores words only, and
    // holds just the organisations that may appear in search results. Prefix
    // indexes of 2 to 4 letters serve "saint eti"-style typing without
    // merging every word that starts so.
    await sql`CREATE VIRTUAL TABLE organisations_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')`.execute(db);
    await sql`INSERT INTO organisations_fts (rowid, search_text) SELECT search_rank, search_text FROM organisations WHERE state = 'A' AND diffusion = 'O'`.execute(db);
    await sql`CREATE TRIGGER organisations_fts_insert AFTER INSERT ON organisations WHEN new.state = 'A' AND new.diffusion = 'O' BEGIN
      INSERT INTO organisations_fts (rowid, search_text) VALUES (new.search_rank, new.search_text);
    END`.execute(db);
    await sql`CREATE TRIGGER organisations_fts_delete AFTER DELETE ON organisations BEGIN
      DELETE FROM organisations_fts WHERE rowid = old.search_rank;
    END`.execute(db);
    await sql`CREATE TRIGGER organisations_fts_update AFTER UPDATE OF search_text, search_rank, state, diffusion ON organisations BEGIN
      DELETE FROM organisations_fts WHERE rowid = old.search_rank;
      INSERT INTO organisations_fts (rowid, search_text) SELECT new.search_rank, new.search_text WHERE new.state = 'A' AND new.diffusion = 'O';
    END`.execute(db);
  }

  await db.schema
    .createTable('staging_units')
    .addColumn('siren', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sigle', 'text')
    .addColumn('legal_category', 'text', (c) => c.notNull())
    .addColumn('activity', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('diffusion', 'text', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('name_words', 'text', (c) => c.notNull())
    .addColumn('search_rank', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
  await db.schema
    .createTable('staging_head_offices')
    .addColumn('siren', 'text', (c) => c.notNull())
    .addColumn('siret', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('departement', 'text')
    .addColumn('place_words', 'text', (c) => c.notNull())
    .addColumn('diffusion', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('directory_imports')
    .addColumn('file_key', 'text', (c) => c.primaryKey())
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('directory_imports').execute();
  await db.schema.dropTable('staging_head_offices').execute();
  await db.schema.dropTable('staging_units').execute();
  if (postgres) {
    await sql`ALTER TABLE organisations DROP COLUMN search_vector`.execute(db);
  } else {
    for (const trigger of ['organisations_fts_insert', 'organisations_fts_delete', 'organisations_fts_update']) await sql`DROP TRIGGER ${sql.id(trigger)}`.execute(db);
    await sql`DROP TABLE organisations_fts`.execute(db);
  }
  await db.schema.dropIndex('organisations_search_rank').execute();
  for (const column of ['search_rank', 'place_words', 'name_words', 'diffusion', 'state', 'updated_at', 'address', 'head_siret', 'activity', 'sigle']) {
    await db.schema.alterTable('organisations').dropColumn(column).execute();
  }
}
