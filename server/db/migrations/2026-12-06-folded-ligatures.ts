import { sql, type Kysely } from 'kysely';

// Search folding now writes œ and æ out as "oe" and "ae" (shared/text.ts):
// the folded columns of organisations already there are brought in line, or
// "crevecoeur" would keep missing the Crèvecœur the directory held before.
const FOLDED_COLUMNS = ['name_key', 'name_words', 'place_words', 'search_text'] as const;

const folded = (column: string) => sql`replace(replace(${sql.ref(column)}, 'œ', 'oe'), 'æ', 'ae')`;
const holdsLigature = (column: string) => sql`(${sql.ref(column)} LIKE '%œ%' OR ${sql.ref(column)} LIKE '%æ%')`;

export async function up(db: Kysely<any>): Promise<void> {
  const assignments = sql.join(FOLDED_COLUMNS.map((c) => sql`${sql.ref(c)} = ${folded(c)}`));
  const anyHolds = sql.join(
    FOLDED_COLUMNS.map((c) => holdsLigature(c)),
    sql` OR `,
  );
  await sql`UPDATE organisations SET ${assignments} WHERE ${anyHolds}`.execute(db);
  await sql`INSERT INTO search_words (word) SELECT DISTINCT ${folded('word')} FROM search_words WHERE ${holdsLigature('word')} ON CONFLICT (word) DO NOTHING`.execute(db);
  await sql`DELETE FROM search_words WHERE ${holdsLigature('word')}`.execute(db);
}

// The folded text cannot be told apart from names spelled "oe" to begin with.
export async function down(): Promise<void> {}
