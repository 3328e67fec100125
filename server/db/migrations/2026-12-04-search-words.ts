import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The directory's vocabulary (see directory/search-words.ts), and the
// staging table through which an import adds to it.
const PAGE = 5000;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Byte order on both databases, whatever PostgreSQL's default collation:
  // a prefix is then exactly a range of the primary key.
  let table = db.schema.createTable('search_words').addColumn('word', 'text', (c) => (postgres ? c.modifyFront(sql`COLLATE "C"`) : c).primaryKey());
  if (!postgres) table = table.modifyEnd(sql`WITHOUT ROWID`);
  await table.execute();
  await db.schema.createTable('staging_words').addColumn('word', 'text', (c) => c.notNull()).execute();

  let after = '';
  for (;;) {
    const rows: { siren: string; search_text: string }[] = await db
      .selectFrom('organisations')
      .select(['siren', 'search_text'])
      .where('siren', '>', after)
      .orderBy('siren')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const words = [...new Set(rows.flatMap((r) => r.search_text.split(' ').filter(Boolean)))];
    for (let i = 0; i < words.length; i += 500) {
      await db
        .insertInto('search_words')
        .values(words.slice(i, i + 500).map((word) => ({ word })))
        .onConflict((oc) => oc.column('word').doNothing())
        .execute();
    }
    after = rows[rows.length - 1]!.siren;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staging_words').execute();
  await db.schema.dropTable('search_words').execute();
}
