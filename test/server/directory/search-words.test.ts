import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { insertOrganisations } from '../../../server/directory/directory.repository.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { organisationRow } from '../../../server/directory/organisation-row.js';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { addSearchWords, MAX_EXPANSION, wordsOf, wordsStartingWith } from '../../../server/directory/search-words.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { testDatabaseKind } from '../../support/test-database.js';
import { startTestApp, UNTRUSTED_ORGANISATION, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function search(q: string, page = 1) {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q, page: String(page) } });
  expect(res.statusCode, q).toBe(200);
  return res.json() as { total: number; totalCapped: boolean; results: { siren: string; name: string }[] };
}

/** Every word of the searchable directory is in the vocabulary: a word left out could not be found by a longer prefix. */
async function missingWords(): Promise<string[]> {
  const rows = await t.app.ctx.db.selectFrom('organisations').select('search_text').where('state', '=', 'A').execute();
  const known = new Set((await t.app.ctx.db.selectFrom('search_words').select('word').execute()).map((r) => r.word));
  return [...new Set(rows.flatMap((r) => wordsOf(r.search_text)))].filter((w) => !known.has(w));
}

describe('the vocabulary behind long searched words', () => {
  it('holds every word of the shipped directory, and of every import', { timeout: 60_000 }, async () => {
    expect(await missingWords()).toEqual([]);
    // A town no commune of the shipped directory is named after: its words come from the import alone.
    const establishments = path.join(t.dataDir, 'StockEtablissement_renamed.csv');
    fs.writeFileSync(establishments, fs.readFileSync('test/fixtures/sirene/StockEtablissement_sample.csv', 'utf8').replaceAll(',SAINT-DENIS,', ',SAINT-DENISVILLE-DES-ESSAIS,'));
    await importSirene(t.app.ctx, t.clock, ['test/fixtures/sirene/StockUniteLegale_sample.csv', establishments]);
    expect(await missingWords()).toEqual([]);
    expect((await search('denisvil')).results).toHaveLength(1);
  });

  it('finds organisations by a word typed in part, past the indexed prefixes', async () => {
    for (const q of ['montpel', 'montpellie', 'montpellier']) {
      expect((await search(q)).results.map((r) => r.name), q).toContain('Montpellier');
    }
    expect((await search('marseil 13001')).results[0]?.name).toBe('Marseille');
  });

  it('answers nothing, quickly, when no word of the directory starts as typed', async () => {
    expect(await search('zzyzxquartier')).toEqual(expect.objectContaining({ total: 0, totalCapped: false, results: [] }));
  });

  it('searches a prefix as a prefix when it starts too many words to list', async () => {
    const words = Array.from({ length: MAX_EXPANSION + 1 }, (_, i) => `qwertz${String(i).padStart(3, '0')}`);
    await addSearchWords(t.app.ctx.db, words);
    expect(await wordsStartingWith(t.app.ctx.db, 'qwertz')).toBeNull();
    expect(await wordsStartingWith(t.app.ctx.db, 'qwertz00')).toHaveLength(10);
    expect(await wordsStartingWith(t.app.ctx.db, 'qwer')).toBeNull();
  });
});

describe('upgrading a directory from before the vocabulary', () => {
  it('fills the vocabulary from the organisations already there', async () => {
    await withDatabaseAt('2026-12-03-kiosk-devices', async (db) => {
      await db.insertInto('organisations').values(UNTRUSTED_ORGANISATION).execute();
      await migrateToLatest(db);
      const words = (await db.selectFrom('search_words').select('word').orderBy('word').execute()).map((r) => r.word);
      expect(words).toEqual(expect.arrayContaining(['association', 'quartiers', 'solidaires', 'lyon', '69003', '69']));
    });
  });
});

const LIGATURED = {
  siren: '603600008',
  name: 'Œuvres sociales de Crèvecœur',
  kind: 'Association',
  legalCategory: '9220',
  town: 'Crèvecœur-le-Grand',
  postcodes: ['60360'],
  departement: '60',
  people: 3,
};

describe('searching names written with œ or æ', () => {
  it('finds them typed with two letters, as people type them', async () => {
    await insertOrganisations(t.app.ctx.db, [organisationRow({ ...LIGATURED, source: 'test' })]);
    expect((await search('oeuvres crevecoeur')).results).toEqual([expect.objectContaining({ siren: LIGATURED.siren })]);
    expect((await search('ŒUVRES SOCIALES')).results).toEqual([expect.objectContaining({ siren: LIGATURED.siren })]);
    expect((await search('crevecoeur le grand')).total).toBeGreaterThan(0);
  });
});

describe('upgrading a directory folded before œ and æ were written out', () => {
  it('finds « Crèvecœur » by « crevecoeur », and by a prefix of it, once migrated', async () => {
    await withDatabaseAt('2026-12-05-superseded-links', async (db) => {
      // Folded as before: accents stripped, ligatures kept.
      const row = organisationRow({ ...LIGATURED, source: 'sirene' });
      const asBefore = (words: string) => words.replaceAll('oe', 'œ');
      await db
        .insertInto('organisations')
        .values({ ...row, name_key: asBefore(row.name_key), name_words: asBefore(row.name_words), place_words: asBefore(row.place_words), search_text: asBefore(row.search_text) })
        .execute();
      await addSearchWords(db, wordsOf(asBefore(row.search_text)));
      await migrateToLatest(db);
      const found = async (q: string) => (await searchDirectory(db, testDatabaseKind, q, 1)).results.map((r) => r.siren);
      expect(await found('crevecoeur')).toEqual([LIGATURED.siren]);
      expect(await found('oeuvres crevecoe')).toEqual([LIGATURED.siren]);
      expect(await found('crevecoeur le grand')).toEqual([LIGATURED.siren]);
      expect(await wordsStartingWith(db, 'crevecoe')).toEqual(['crevecoeur']);
    });
  });
});
