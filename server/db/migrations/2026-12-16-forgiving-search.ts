import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { foldForSearch } from '../../shared/text.js';

// A search that forgives (directory/suggestions.ts, exact-tier.ts, ranking.ts):
// - the deletion index of the vocabulary, built here from search_words;
// - the acronym as compared (sigle_key), filled from the sigles already there;
// - open establishments and usual names (of units and of establishments),
//   which only a new Sirene import brings (staging_establishments is the
//   establishments' way in);
// - search ranks in the new layout, which makes room for the count of open
//   establishments below the size: the order of the rows already there does
//   not change (none has establishments counted yet).
const PAGE = 5000;
const FUZZY_PREFIX = 7;
const SHORTEST_FUZZY_WORD = 3;
const LONGEST_SIGLE = 12;

// The layout of 2026-12-02-sirene: public body × 2^50 + size × 2^30 + SIREN;
// now public body × 2^52 + size × 2^37 + establishments × 2^30 + SIREN.
const OLD_PUBLIC = 2 ** 50;
const OLD_SIZE = 2 ** 30;
const OLD_SIZE_SPAN = 2 ** 20;
const NEW_PUBLIC = 2 ** 52;
const NEW_SIZE = 2 ** 37;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable('organisations').addColumn('sigle_key', 'text').execute();
  await db.schema.alterTable('organisations').addColumn('open_establishments', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  let after = '';
  for (;;) {
    const rows: { siren: string; sigle: string }[] = await db
      .selectFrom('organisations')
      .select(['siren', 'sigle'])
      .where('sigle', 'is not', null)
      .where('siren', '>', after)
      .orderBy('siren')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const key = foldForSearch(r.sigle).replaceAll(' ', '');
      if (key.length > 0 && key.length <= LONGEST_SIGLE) {
        await db.updateTable('organisations').set({ sigle_key: key }).where('siren', '=', r.siren).execute();
      }
    }
    after = rows[rows.length - 1]!.siren;
  }
  await sql`CREATE INDEX organisations_sigle_key ON organisations (sigle_key) WHERE sigle_key IS NOT NULL`.execute(db);

  await db.schema.alterTable('staging_units').addColumn('sigle_key', 'text').execute();
  await db.schema.alterTable('staging_units').addColumn('open_establishments', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('staging_establishments')
    .addColumn('siren', 'text', (c) => c.notNull())
    .addColumn('open_count', 'integer', (c) => c.notNull())
    .addColumn('usual_words', 'text', (c) => c.notNull())
    .execute();

  let deletes = db.schema
    .createTable('search_word_deletes')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_word_deletes_pk', ['key', 'word']);
  if (!postgres) deletes = deletes.modifyEnd(sql`WITHOUT ROWID`);
  await deletes.execute();
  const positions = sql.join(
    Array.from({ length: FUZZY_PREFIX }, (_, i) => sql`SELECT ${sql.lit(i + 1)} AS i`),
    sql` UNION ALL `,
  );
  const fuzzy = postgres ? sql`word !~ '[0-9]'` : sql`word NOT GLOB '*[0-9]*'`;
  await sql`
    INSERT INTO search_word_deletes (key, word)
    SELECT DISTINCT key, word FROM (
      SELECT substr(word, 1, ${sql.lit(FUZZY_PREFIX)}) AS key, word FROM search_words
      WHERE length(word) >= ${sql.lit(SHORTEST_FUZZY_WORD)} AND ${fuzzy}
      UNION ALL
      SELECT substr(substr(word, 1, ${sql.lit(FUZZY_PREFIX)}), 1, p.i - 1) || substr(substr(word, 1, ${sql.lit(FUZZY_PREFIX)}), p.i + 1) AS key, word
      FROM search_words, (${positions}) AS p
      WHERE length(word) >= ${sql.lit(SHORTEST_FUZZY_WORD)} AND ${fuzzy} AND p.i <= length(word)
    ) AS deletes`.execute(db);

  // Each new rank ends with the same SIREN as the old one: no two rows ever
  // hold the same rank during the update. Rows an earlier migration of this
  // version added already have the new layout: an old rank is below 2^51 and
  // its size below 2^15 (a population of 2^32), which a new rank is not,
  // unless its size is 0, which both layouts write alike. On SQLite the rank
  // is the full-text index's row id: the index is rebuilt once rather than
  // row by row.
  const relaid = sql`(search_rank / ${sql.lit(OLD_PUBLIC)}) * ${sql.lit(NEW_PUBLIC)}
    + ((search_rank / ${sql.lit(OLD_SIZE)}) % ${sql.lit(OLD_SIZE_SPAN)}) * ${sql.lit(NEW_SIZE)}
    + search_rank % ${sql.lit(OLD_SIZE)}`;
  const old = sql`search_rank < ${sql.lit(2 * OLD_PUBLIC)} AND (search_rank / ${sql.lit(OLD_SIZE)}) % ${sql.lit(OLD_SIZE_SPAN)} < ${sql.lit(2 ** 15)}`;
  if (postgres) {
    await sql`UPDATE organisations SET search_rank = ${relaid} WHERE ${old}`.execute(db);
    return;
  }
  const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'organisations_fts_update'`.execute(db);
  await sql`DROP TRIGGER organisations_fts_update`.execute(db);
  await sql`UPDATE organisations SET search_rank = ${relaid} WHERE ${old}`.execute(db);
  await sql`INSERT INTO organisations_fts (organisations_fts) VALUES ('delete-all')`.execute(db);
  await sql`
    INSERT INTO organisations_fts (rowid, search_text)
    SELECT search_rank, search_text FROM organisations WHERE state = 'A' AND diffusion = 'O' ORDER BY search_rank`.execute(db);
  await sql.raw(rows[0]!.sql).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_word_deletes').execute();
  await db.schema.dropTable('staging_establishments').execute();
  await db.schema.alterTable('staging_units').dropColumn('open_establishments').execute();
  await db.schema.alterTable('staging_units').dropColumn('sigle_key').execute();
  await sql`DROP INDEX organisations_sigle_key`.execute(db);
  for (const column of ['open_establishments', 'sigle_key']) {
    await db.schema.alterTable('organisations').dropColumn(column).execute();
  }
}
