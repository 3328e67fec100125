import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function search(q: string, page = 1) {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q, page: String(page) } });
  return { status: res.statusCode, body: res.json() };
}

describe('directory shipped with the app', () => {
  it('holds every current commune and EPCI of the official split', async () => {
    const rows = await t.app.ctx.db
      .selectFrom('organisations')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    expect(byKind.Commune).toBeGreaterThan(34_000);
    expect(byKind.EPCI).toBeGreaterThan(1_200);
  });
});

describe('directory search', () => {
  it('finds Saint-Étienne without accents, case or the full word "saint"', async () => {
    for (const q of ['st etienne', 'SAINT ETIENNE', 'saint-étienne', 'St-Etienne']) {
      const { body } = await search(q);
      expect(body.results[0]).toMatchObject({ siren: '214202186', name: 'Saint-Étienne', town: 'Saint-Étienne', legalCategory: '7210' });
    }
  });

  it('finds words in any order', async () => {
    const { body } = await search('etienne st');
    expect(body.results.slice(0, 3).map((r: { name: string }) => r.name)).toContain('Saint-Étienne');
  });

  it('finds communes by postcode', async () => {
    const { body } = await search('42000');
    expect(body.results.map((r: { name: string }) => r.name)).toContain('Saint-Étienne');
  });

  it('finds an EPCI by its name', async () => {
    const { body } = await search('saint etienne metropole');
    expect(body.results[0]).toMatchObject({ name: 'Saint-Étienne Métropole', kind: 'EPCI', legalCategoryLabel: 'Métropole' });
  });

  it('pages results ten at a time with a total counted two pages ahead, never past 1 000', async () => {
    const first = await search('saint', 1);
    const second = await search('saint', 2);
    expect(first.body).toMatchObject({ total: 20, totalCapped: true });
    expect(second.body).toMatchObject({ total: 30, totalCapped: true });
    expect((await search('saint', 100)).body).toMatchObject({ total: 1_000, totalCapped: true });
    // Under the cap, the total is exact.
    const precise = await search('saint etienne loire');
    expect(precise.body.totalCapped).toBe(false);
    expect(precise.body.total).toBeGreaterThan(0);
    expect(precise.body.total).toBeLessThanOrEqual(20);
    expect(first.body.results).toHaveLength(10);
    expect(second.body.results).toHaveLength(10);
    const overlap = second.body.results.filter((r: { siren: string }) => first.body.results.some((f: { siren: string }) => f.siren === r.siren));
    expect(overlap).toEqual([]);
  });

  it('finds exactly one unit by SIREN, and by the first nine digits of a SIRET', async () => {
    const bySiren = await search('214 202 186');
    expect(bySiren.body).toMatchObject({ exact: true, total: 1 });
    expect(bySiren.body.results[0].name).toBe('Saint-Étienne');
    const bySiret = await search('214 202 186 00018');
    expect(bySiret.status).toBe(200);
    expect(bySiret.body).toMatchObject({ exact: true, total: 1 });
  });

  it('refuses an identifier with a wrong check digit, saying so', async () => {
    const { status, body } = await search('214202187');
    expect(status).toBe(400);
    expect(body.fields.q).toMatch(/SIREN 214202187 n'est pas valide : sa clé de contrôle est incorrecte/);
  });

  it('answers 0 results for an unknown name, and refuses a one-letter search', async () => {
    expect((await search('zzzxqw')).body).toMatchObject({ total: 0, results: [] });
    const short = await search('a');
    expect(short.status).toBe(400);
    expect(short.body.fields.q).toMatch(/au moins 2 caractères/);
  });
});
