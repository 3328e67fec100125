import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { searchRank } from '../../../server/directory/ranking.js';
import { addSearchWords, wordsOf } from '../../../server/directory/search-words.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { testDatabaseKind } from '../../support/test-database.js';

// 2026-12-17-directory-indexes: on SQLite the full-text index is rebuilt
// without word positions; a directory upgraded to it answers as before and
// keeps following the organisations table.
const UNITS = [
  { siren: '900000001', name: 'BOULANGERIE MARTIN', town: 'LYON', postcode: '69003', people: 12 },
  { siren: '900000019', name: 'BOULANGERIE DU PARC', town: 'LYON', postcode: '69006', people: 3 },
  { siren: '900000027', name: 'GARAGE MARTIN', town: 'NANTES', postcode: '44000', people: 5 },
];

function row(u: (typeof UNITS)[number]) {
  const nameWords = u.name.toLowerCase();
  const placeWords = `${u.town.toLowerCase()} ${u.postcode}`;
  return {
    siren: u.siren,
    name: u.name,
    kind: 'Entreprise',
    legal_category: '5710',
    town: u.town,
    postcodes: u.postcode,
    departement: u.postcode.slice(0, 2),
    population: u.people,
    name_key: nameWords,
    name_words: nameWords,
    place_words: placeWords,
    search_text: ` ${nameWords} ${placeWords} `,
    search_rank: searchRank(false, u.people, u.siren),
    source: 'sirene',
    state: 'A',
    diffusion: 'O',
  };
}

describe('upgrading a directory to the index without word positions', () => {
  it('finds the same organisations in the same order by words and prefixes, and follows later changes', async () => {
    await withDatabaseAt('2026-12-15-off-directory', async (db) => {
      const untyped = db as unknown as Kysely<any>;
      await untyped.insertInto('organisations').values(UNITS.map(row)).execute();
      await addSearchWords(db, UNITS.flatMap((u) => wordsOf(row(u).search_text)));
      await migrateToLatest(db);
      const found = async (q: string) => (await searchDirectory(db, testDatabaseKind, q, 1)).results.map((r) => r.siren);

      expect(await found('boulangerie lyon')).toEqual(['900000001', '900000019']);
      expect(await found('boul ly')).toEqual(['900000001', '900000019']);
      expect(await found('martin')).toEqual(['900000001', '900000027']);
      expect(await found('69006')).toEqual(['900000019']);

      await untyped.updateTable('organisations').set({ state: 'C' }).where('siren', '=', '900000001').execute();
      await untyped.insertInto('organisations').values(row({ siren: '900000035', name: 'BOULANGERIE DES HALLES', town: 'LYON', postcode: '69001', people: 50 })).execute();
      await untyped.deleteFrom('organisations').where('siren', '=', '900000019').execute();
      expect(await found('boulangerie lyon')).toEqual(['900000035']);

      if (testDatabaseKind === 'sqlite') {
        const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'organisations_fts'`.execute(db);
        expect(rows[0]!.sql).toContain('detail=none');
      }
    });
  });
});
