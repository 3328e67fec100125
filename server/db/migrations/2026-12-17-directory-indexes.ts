import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The directory's full-text index on SQLite keeps which organisations hold a
// word, no longer where in the text: every searched word is one token, ANDed
// with the others, never a phrase, so the positions were never read. Without
// them (detail=none) the index is half the size (5 million units: 434 MiB →
// 232 MiB) and a search that intersects a common word (a town, "association")
// with another reads half the bytes. Rebuilt here in search-rank order and
// merged into one segment. PostgreSQL's GIN index holds no positions already.
const TRIGGERS = ['organisations_fts_insert', 'organisations_fts_delete', 'organisations_fts_update'] as const;
// As the Sirene import does (import.ts): flushes of 32 MiB while filling, then FTS5's default.
const HASH_SIZE = 32 << 20;
const DEFAULT_HASH_SIZE = 1 << 20;

async function rebuild(db: Kysely<any>, detail: 'none' | 'full'): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const { rows: triggers } = await sql<{ name: string; sql: string }>`
    SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'organisations' AND name IN (${sql.join([...TRIGGERS])})`.execute(db);
  for (const t of triggers) await sql`DROP TRIGGER ${sql.id(t.name)}`.execute(db);
  await sql`DROP TABLE organisations_fts`.execute(db);
  await sql.raw(
    `CREATE VIRTUAL TABLE organisations_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'${detail === 'none' ? ', detail=none' : ''})`,
  ).execute(db);
  await sql`INSERT INTO organisations_fts (organisations_fts, rank) VALUES ('hashsize', ${sql.lit(HASH_SIZE)})`.execute(db);
  await sql`
    INSERT INTO organisations_fts (rowid, search_text)
    SELECT search_rank, search_text FROM organisations WHERE state = 'A' AND diffusion = 'O' ORDER BY search_rank`.execute(db);
  await sql`INSERT INTO organisations_fts (organisations_fts) VALUES ('optimize')`.execute(db);
  await sql`INSERT INTO organisations_fts (organisations_fts, rank) VALUES ('hashsize', ${sql.lit(DEFAULT_HASH_SIZE)})`.execute(db);
  for (const t of triggers) await sql.raw(t.sql).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, 'none');
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, 'full');
}
