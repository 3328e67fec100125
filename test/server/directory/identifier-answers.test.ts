import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// What a search by number answers besides a result: a valid SIREN the
// directory lacks, a closed unit, a mistyped key, a number of the wrong length.
const CLOSED = '389123456';
const NON_DIFFUSIBLE = '812345676';
const LA_POSTE = '356000000';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await importSirene(t.app.ctx, t.clock, ['test/fixtures/sirene/StockUniteLegale_sample.csv', 'test/fixtures/sirene/StockEtablissement_sample.csv']);
});
afterAll(async () => {
  await t.close();
});

async function search(q: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q } });
  return { status: res.statusCode, body: res.json() };
}

describe('a search by number', () => {
  it('says when a valid SIREN or SIRET is not in the directory', async () => {
    for (const q of [LA_POSTE, '356 000 000 00048']) {
      const { status, body } = await search(q);
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: 0, exact: true, results: [], notInDirectory: { siren: LA_POSTE } });
      expect(body.closed).toBeUndefined();
    }
  });

  it('says a closed unit is closed, with the day it closed from the Sirene file', async () => {
    const { body } = await search(CLOSED);
    expect(body).toMatchObject({ total: 0, results: [], closed: { siren: CLOSED, name: 'SOCIETE D AMENAGEMENT DU VAL FERME', closedOn: '2015-01-01' } });
    expect(body.notInDirectory).toBeUndefined();
  });

  it('finds a partly non-diffusible unit by its SIREN, showing its identifiers only', async () => {
    const { body } = await search(NON_DIFFUSIBLE);
    expect(body.total).toBe(1);
    expect(body.results).toEqual([expect.objectContaining({ siren: NON_DIFFUSIBLE, name: 'Organisme non diffusible', town: null })]);
  });

  it('answers a number of the wrong length with the lengths of a SIREN and a SIRET', async () => {
    for (const [q, n] of [['35600000', 8], ['356 000 000 0004', 13], ['356000000000481', 15], ['3560000001', 10]] as const) {
      const { status, body } = await search(q);
      expect(status, q).toBe(400);
      expect(body.fields.q).toBe(`Un SIREN compte 9 chiffres et un SIRET 14 : le numéro saisi en compte ${n}. Vérifiez-le.`);
    }
    expect((await search('42000')).status).toBe(200);
  });
});

describe('one organisation by SIREN', () => {
  it('refuses a SIREN with a wrong key with the same words as the search', async () => {
    const bySearch = await search('214202187');
    const res = await t.app.inject({ method: 'GET', url: '/api/directory/organisations/214202187' });
    expect(res.statusCode).toBe(400);
    expect(bySearch.status).toBe(400);
    expect(res.json().message).toBe(bySearch.body.message);
    expect(res.json().message).toContain('clé de contrôle est incorrecte');
  });

  it('still answers 404 for a valid SIREN outside the directory', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/directory/organisations/${LA_POSTE}` });
    expect(res.statusCode).toBe(404);
  });
});
