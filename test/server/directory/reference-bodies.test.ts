import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../../../common/api/contracts.js';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { organisationRow, type OrganisationFields } from '../../../server/directory/organisation-row.js';
import { isPublicBody, sizeScore } from '../../../server/directory/ranking.js';
import { addSearchWords, wordsOf } from '../../../server/directory/search-words.js';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir, testDatabaseKind } from '../../support/test-database.js';

// The départements, régions and collectivités à statut particulier a first
// start loads (server/directory/reference/collectivites.fr.json), found by
// the names people give them; and the name of its département among the
// words of every located organisation.

const LOIRE = '224200014';
const AUVERGNE_RHONE_ALPES = '200053767';
const PAYS_DE_LA_LOIRE = '234400034';
const PARIS = '217500016';
const METROPOLE_DE_LYON = '200046977';
const CORSE = '200076958';
const SAINT_ETIENNE = '214202186';
const LYON = '216901231';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t.close();
});

async function search(q: string): Promise<Organisation[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q } });
  expect(res.statusCode, q).toBe(200);
  return res.json().results;
}

describe('the collectivités shipped with the app', () => {
  it('holds the 95 départements, 14 régions and 5 collectivités à statut particulier of the reference list', async () => {
    const rows = await t.app.ctx.db
      .selectFrom('organisations')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', 'in', ['Département', 'Région', 'Collectivité à statut particulier'])
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]))).toEqual({
      Département: 95,
      Région: 14,
      'Collectivité à statut particulier': 5,
    });
  });

  it('finds the Département de la Loire first by the names people type', async () => {
    for (const q of ['loire', 'departement de la loire', 'Département de la Loire', 'conseil departemental loire', 'conseil général de la Loire', 'CD42', 'cd 42']) {
      const [first] = await search(q);
      expect(first, q).toMatchObject({ siren: LOIRE, name: 'Département de la Loire', kind: 'Département', legalCategory: '7220', legalCategoryLabel: 'Département', town: 'Saint-Étienne' });
    }
  });

  it('lists the other bodies named after the Loire after it', async () => {
    const sirens = (await search('loire')).map((r) => r.siren);
    expect(sirens).toContain(PAYS_DE_LA_LOIRE);
    expect(sirens.indexOf(PAYS_DE_LA_LOIRE)).toBeGreaterThan(0);
  });

  it('finds the Région Auvergne-Rhône-Alpes by part of its name, its full name or its shorthand', async () => {
    for (const q of ['auvergne', 'region auvergne rhone alpes', 'conseil régional Auvergne-Rhône-Alpes', 'aura']) {
      const [first] = await search(q);
      expect(first, q).toMatchObject({ siren: AUVERGNE_RHONE_ALPES, name: 'Région Auvergne-Rhône-Alpes', legalCategoryLabel: 'Région' });
    }
  });

  it('keeps the Ville de Paris and the Métropole de Lyon as collectivités à statut particulier', async () => {
    for (const q of ['paris', 'ville de paris', 'departement de paris']) {
      const [first] = await search(q);
      expect(first, q).toMatchObject({
        siren: PARIS,
        name: 'Ville de Paris',
        kind: 'Collectivité à statut particulier',
        legalCategory: '7229',
        legalCategoryLabel: '(Autre) Collectivité territoriale',
      });
    }
    expect((await search('metropole de lyon'))[0]).toMatchObject({ siren: METROPOLE_DE_LYON, legalCategory: '7229' });
    expect((await search('corse'))[0]).toMatchObject({ siren: CORSE, name: 'Collectivité de Corse' });
    // The commune of Lyon still comes first by its own name.
    expect((await search('lyon'))[0]).toMatchObject({ siren: LYON, name: 'Lyon' });
  });

  it('answers for a collectivité by its SIREN', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/directory/organisations/${LOIRE}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Département de la Loire', legalCategoryLabel: 'Département' });
  });
});

describe('département names', () => {
  it('find the organisations located there', async () => {
    const inLoire = await search('saint-étienne loire');
    expect(inLoire.map((r) => r.siren)).toContain(SAINT_ETIENNE);
    // Not the Saint-Étienne of départements without « Loire » in their name (du-Rouvray, 76; de-Tinée, 06…).
    expect(inLoire.filter((r) => ['76', '06'].includes(r.departement ?? ''))).toEqual([]);
    expect((await search('lyon rhone')).map((r) => r.siren)).toContain(LYON);
  });
});

describe('a Sirene import', () => {
  it('leaves the shipped collectivités as they are and adds the département name to what it imports', async () => {
    const dir = tempDir('guichet-collectivites-');
    try {
      const units = fs.readFileSync('test/fixtures/sirene/StockUniteLegale_sample.csv', 'utf8').trimEnd().split('\n');
      const heads = fs.readFileSync('test/fixtures/sirene/StockEtablissement_sample.csv', 'utf8').trimEnd().split('\n');
      const oph = units.find((l) => l.startsWith('279300016'))!;
      // The Département de la Loire as Sirene registers it: capitals, 1 000 to 1 999 staff.
      const loire = oph.replace('279300016', LOIRE).replace('LSSD OPH', '').replace('LOGEMENT SOLIDAIRE DE SEINE-SAINT-DENIS OFFICE PUBLIC DE L HABITAT', 'DEPARTEMENT DE LA LOIRE').replace(',7371,', ',7220,');
      fs.writeFileSync(path.join(dir, 'StockUniteLegale.csv'), [...units, loire].join('\n') + '\n');
      fs.writeFileSync(path.join(dir, 'StockEtablissement.csv'), heads.join('\n') + '\n');
      await importSirene(t.app.ctx, t.clock, [path.join(dir, 'StockUniteLegale.csv'), path.join(dir, 'StockEtablissement.csv')]);

      expect((await search('loire'))[0]).toMatchObject({ siren: LOIRE, name: 'Département de la Loire' });
      // The sample association's head office is in Saint-Étienne (42).
      expect((await search('quartiers fertiles loire')).map((r) => r.siren)).toContain('442123451');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Rows as the version before 2026-12-14-reference-bodies wrote them: place
// words without the département's name, ranks in that version's layout.
function asBefore(f: Omit<OrganisationFields, 'source'> & { source?: string }) {
  const row = organisationRow({ source: 'decoupage-administratif', ...f });
  const place = f.departement ? row.place_words.slice(0, row.place_words.lastIndexOf(` ${f.departement}`) + f.departement.length + 1) : row.place_words;
  return {
    siren: row.siren,
    name: row.name,
    kind: row.kind,
    legal_category: row.legal_category,
    town: row.town,
    postcodes: row.postcodes,
    departement: row.departement,
    population: row.population,
    name_key: row.name_key,
    name_words: row.name_words,
    place_words: place,
    search_text: ` ${row.name_words} ${place} `,
    search_rank: ((isPublicBody(f.legalCategory) ? 1 : 0) * 2 ** 20 + sizeScore(f.people)) * 2 ** 30 + Number(f.siren),
    source: row.source,
    state: 'A',
    diffusion: 'O',
  };
}

const commune = (siren: string, name: string, departement: string, postcodes: string[], people: number) =>
  asBefore({ siren, name, kind: 'Commune', legalCategory: '7210', town: name, postcodes, departement, people, nameAliases: ['commune'] });

describe('a directory filled by the version before', () => {
  it('gains the collectivités and the département names once migrated', async () => {
    await withDatabaseAt('2026-12-13-retention', async (db) => {
      const rows = [
        commune(SAINT_ETIENNE, 'Saint-Étienne', '42', ['42000', '42100', '42230'], 173_136),
        commune('214901787', 'Loiré', '49', ['49440'], 900),
        commune(LYON, 'Lyon', '69', ['69001'], 519_127),
        commune(PARIS, 'Paris', '75', ['75001'], 2_103_778),
        asBefore({ siren: METROPOLE_DE_LYON, name: 'Métropole de Lyon', kind: 'Collectivité à statut particulier', legalCategory: '7229', town: null, postcodes: [], departement: '69', people: 1_400_000, nameAliases: ['métropole'] }),
        // A département a Sirene import brought, under its registered name.
        asBefore({ siren: LOIRE, name: 'DEPARTEMENT DE LA LOIRE', kind: 'Personne morale de droit public', legalCategory: '7220', town: 'SAINT-ETIENNE', postcodes: ['42000'], departement: '42', people: 1000, source: 'sirene' }),
      ];
      await db.insertInto('organisations').values(rows).execute();
      await addSearchWords(db, rows.flatMap((r) => wordsOf(r.search_text)));
      expect(rows[0]!.search_text).toBe(' commune saint etienne st 42000 42100 42230 42 ');

      await migrateToLatest(db);

      const found = async (q: string) => (await searchDirectory(db, testDatabaseKind, q, 1)).results;
      expect((await found('loire'))[0]).toMatchObject({ siren: LOIRE, name: 'Département de la Loire', kind: 'Département' });
      expect((await found('departement de la loire'))[0]).toMatchObject({ siren: LOIRE });
      expect((await found('auvergne'))[0]).toMatchObject({ siren: AUVERGNE_RHONE_ALPES });
      expect((await found('saint-étienne loire')).map((r) => r.siren)).toContain(SAINT_ETIENNE);
      expect((await found('lyon rhone')).map((r) => r.siren)).toContain(LYON);
      expect((await found('paris'))[0]).toMatchObject({ siren: PARIS, name: 'Ville de Paris', legalCategory: '7229', postcodes: expect.arrayContaining(['75001', '75020']) });
      expect((await found('metropole de lyon'))[0]).toMatchObject({ siren: METROPOLE_DE_LYON, legalCategory: '7229' });

      // The same words as a first start writes.
      const upgraded = await db.selectFrom('organisations').select(['place_words', 'search_text']).where('siren', '=', SAINT_ETIENNE).executeTakeFirstOrThrow();
      const fresh = await t.app.ctx.db.selectFrom('organisations').select(['place_words', 'search_text']).where('siren', '=', SAINT_ETIENNE).executeTakeFirstOrThrow();
      expect(upgraded).toEqual(fresh);
      const collectivites = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', 'in', ['Département', 'Région', 'Collectivité à statut particulier']).executeTakeFirstOrThrow();
      expect(Number(collectivites.n)).toBe(114);
    });
  });

  it('is left to the seed when the directory is empty', async () => {
    await withDatabaseAt('2026-12-13-retention', async (db) => {
      await migrateToLatest(db);
      const { n } = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(0);
    });
  });
});
