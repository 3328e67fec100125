import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { insertOrganisations } from '../../../server/directory/directory.repository.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { organisationRow } from '../../../server/directory/organisation-row.js';
import { searchRank } from '../../../server/directory/ranking.js';
import { addSearchWords, wordsOf } from '../../../server/directory/search-words.js';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { allowedEdits, editDistance } from '../../../server/directory/suggestions.js';
import { deletionKeys } from '../../../server/directory/word-deletes.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { testDatabaseKind } from '../../support/test-database.js';

const UNITS = 'test/fixtures/sirene/forgiving/StockUniteLegale_forgiving.csv';
const ESTABLISHMENTS = 'test/fixtures/sirene/forgiving/StockEtablissement_forgiving.csv';
const CENTRE_SOCIAL = '801000019';
const ZEPHYR_LOISIRS = '801000027';
const ZEPHYR_SERVICES = '801000035';
const OPAC_LOIRE = '801000043';
const OPAC_SERVICES = '801000050';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await importSirene(t.app.ctx, t.clock, [UNITS, ESTABLISHMENTS]);
});
afterAll(async () => {
  await t.close();
});

interface Found {
  siren: string;
  name: string;
  departement: string | null;
  legalCategory: string;
}

async function search(query: Record<string, string>) {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query });
  return { status: res.statusCode, body: res.json() };
}

const sirens = (body: { results: Found[] }) => body.results.map((r) => r.siren);

describe('a misspelled search', () => {
  it.each([
    ['sant etienne', 'saint etienne'],
    ['villeurbane', 'villeurbanne'],
    ['grenobel', 'grenoble'],
    ['saint etiene metropole', 'saint etienne metropole'],
  ])('« %s » finds nothing and offers « %s », which finds', async (typed, corrected) => {
    const { status, body } = await search({ q: typed });
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 0, results: [], suggestion: corrected });
    const again = await search({ q: body.suggestion });
    expect(again.body.total).toBeGreaterThan(0);
  });

  it('offers nothing when the search finds something, or when no word is near', async () => {
    expect((await search({ q: 'saint etienne' })).body.suggestion).toBeUndefined();
    expect((await search({ q: 'xkcdqwv' })).body).toMatchObject({ total: 0, results: [] });
    expect((await search({ q: 'xkcdqwv' })).body.suggestion).toBeUndefined();
  });

  it('allows one edit from 3 letters and two from 6; never corrects numbers', () => {
    expect([allowedEdits('ab'), allowedEdits('lyo'), allowedEdits('lyonn'), allowedEdits('grenobel'), allowedEdits('42000')]).toEqual([0, 1, 1, 2, 0]);
    expect(editDistance('grenobel', 'grenoble')).toBe(1);
    expect(editDistance('sant', 'saint')).toBe(1);
    expect(deletionKeys('42000')).toEqual([]);
    expect(deletionKeys('villeurbanne')).toEqual(['villeur', 'illeur', 'vlleur', 'vileur', 'villur', 'viller', 'villeu']);
  });

  it('corrects within the filters asked for', async () => {
    const { body } = await search({ q: 'sant etienne', departement: '42' });
    expect(body.suggestion).toBe('saint etienne');
  });
});

describe('ranking', () => {
  it('lists the organisation whose acronym was searched before names holding the word', async () => {
    const { body } = await search({ q: 'OPAC' });
    expect(sirens(body).slice(0, 2)).toEqual([OPAC_LOIRE, OPAC_SERVICES]);
    expect((await search({ q: 'o.p.a.c' })).body.results[0].siren).toBe(OPAC_LOIRE);
  });

  it('files the acronym of an organisation added to the directory', async () => {
    await insertOrganisations(t.app.ctx.db, [
      organisationRow({ siren: '801000068', name: 'Syndicat mixte des transports Zéphyr', kind: 'Syndicat mixte', legalCategory: '7354', town: null, postcodes: [], departement: '42', people: 0, source: 'test', sigle: 'S.M.T.Z.' }),
    ]);
    expect((await search({ q: 'smtz' })).body.results[0].siren).toBe('801000068');
  });

  it('at equal size, puts the unit with more open establishments first', async () => {
    const { body } = await search({ q: 'zephyr', departement: '42' });
    expect(sirens(body).filter((s) => s !== '801000068')).toEqual([ZEPHYR_LOISIRS, ZEPHYR_SERVICES]);
    const row = await t.app.ctx.db.selectFrom('organisations').select(['open_establishments', 'search_rank']).where('siren', '=', ZEPHYR_LOISIRS).executeTakeFirstOrThrow();
    expect(row.open_establishments).toBe(3);
    expect(Number(row.search_rank)).toBe(searchRank(false, 6, ZEPHYR_LOISIRS, 3));
  });
});

describe('usual names', () => {
  it("finds a unit by its usual name and by an open establishment's sign, not by a closed one's", async () => {
    expect(sirens((await search({ q: 'CS MONTREYNAUD' })).body)).toEqual([CENTRE_SOCIAL]);
    expect(sirens((await search({ q: 'maison des jeunes boreale' })).body)).toEqual([ZEPHYR_LOISIRS]);
    expect((await search({ q: 'ancien local ferme' })).body.total).toBe(0);
  });

  it('shows the registered name, not the usual one', async () => {
    expect((await search({ q: 'cs montreynaud' })).body.results[0].name).toBe('CENTRE SOCIAL DU QUARTIER MONTREYNAUD');
  });
});

describe('filters', () => {
  it('keeps to one département', async () => {
    const { body } = await search({ q: 'saint', departement: '42' });
    expect(body.total).toBeGreaterThan(10);
    expect(new Set(body.results.map((r: Found) => r.departement))).toEqual(new Set(['42']));
    const corsica = await search({ q: 'saint', departement: '2a' });
    expect(new Set(corsica.body.results.map((r: Found) => r.departement))).toEqual(new Set(['2A']));
  });

  it('keeps to collectivités and établissements publics', async () => {
    const all = await search({ q: 'zephyr loisirs' });
    expect(all.body.total).toBe(1);
    expect((await search({ q: 'zephyr loisirs', publicOnly: 'true' })).body.total).toBe(0);
    const { body } = await search({ q: 'opac', publicOnly: 'true' });
    expect(body.results.every((r: Found) => r.legalCategory.startsWith('7'))).toBe(true);
    expect(body.total).toBe(2);
  });

  it('refuses a département that does not exist, in French', async () => {
    for (const departement of ['20', '99', '1', 'loire']) {
      const { status, body } = await search({ q: 'saint', departement });
      expect(status, departement).toBe(400);
      expect(body.fields.departement).toMatch(/Choisissez un département de la liste/);
    }
    expect((await search({ q: 'saint', publicOnly: 'oui' })).body.fields.publicOnly).toMatch(/vaut true ou false/);
  });
});

describe('upgrading a directory searched before 2026-12-16-forgiving-search', () => {
  it('keeps its order, files its words for suggestions and its acronyms', async () => {
    await withDatabaseAt('2026-12-15-off-directory', async (db) => {
      const rows = [
        organisationRow({ siren: '214202186', name: 'Saint-Étienne', kind: 'Commune', legalCategory: '7210', town: 'Saint-Étienne', postcodes: ['42000'], departement: '42', people: 170_000, source: 'test' }),
        organisationRow({ siren: OPAC_LOIRE, name: 'Office public de la Loire', kind: 'OPH', legalCategory: '7371', town: 'Saint-Étienne', postcodes: ['42000'], departement: '42', people: 10, source: 'test', sigle: 'OPAC' }),
        organisationRow({ siren: ZEPHYR_SERVICES, name: 'Saint-Étienne services', kind: 'Association', legalCategory: '9220', town: 'Saint-Étienne', postcodes: ['42000'], departement: '42', people: 6, source: 'test' }),
      ];
      // Ranked as before: public body × 2^50 + size × 2^30 + SIREN.
      const before = (r: (typeof rows)[number]) =>
        (r.legal_category.startsWith('7') ? 2 ** 50 : 0) + Math.floor(Math.log2(r.population + 1) * 1000) * 2 ** 30 + Number(r.siren);
      const { sigle_key: _, ...withoutKey } = rows[0]!;
      for (const r of rows) {
        const { sigle_key: _key, ...old } = r;
        await db.insertInto('organisations').values({ ...old, search_rank: before(r) } as typeof withoutKey).execute();
      }
      await addSearchWords(db, rows.flatMap((r) => wordsOf(r.search_text)));
      await migrateToLatest(db);
      const ranks = await db.selectFrom('organisations').select(['siren', 'search_rank']).orderBy('siren').execute();
      expect(ranks.map((r) => Number(r.search_rank))).toEqual(
        [...rows].sort((a, b) => a.siren.localeCompare(b.siren)).map((r) => searchRank(r.legal_category.startsWith('7'), r.population, r.siren)),
      );
      const found = await searchDirectory(db, testDatabaseKind, 'saint etienne', 1);
      expect(found.results.map((r) => r.siren)).toEqual(['214202186', OPAC_LOIRE, ZEPHYR_SERVICES]);
      expect((await searchDirectory(db, testDatabaseKind, 'opac', 1)).results.map((r) => r.siren)).toEqual([OPAC_LOIRE]);
      expect((await searchDirectory(db, testDatabaseKind, 'sant etiene', 1)).suggestion).toBe('saint etienne');
    });
  });
});
