import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../support/test-app.js';

let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

// Every kind of directory search: words (prefixes, whole words, an acronym,
// an exact name), a second page, a SIREN, and a word that finds nothing.
const QUERIES = ['saint etienne', 'lyon', 'commune de', 'opac', 'paris', '69003', '214202186', 'saint&page=2', 'zzzzqx'];

describe('a table changed by another service instance', () => {
  it('leaves the searches of an instance that had already run them answering as before', async () => {
    cluster = await startCluster(2, { DIRECTORY_RATE_LIMIT_PER_MINUTE: '100000' });
    const [searching, migrating] = cluster.apps as [NonNullable<Cluster['apps'][0]>, NonNullable<Cluster['apps'][0]>];
    // Several at once, so that several connections of the instance's pool have run each search.
    const searchAll = () =>
      Promise.all(
        [...QUERIES, ...QUERIES, ...QUERIES].map(async (q) => {
          const res = await searching.inject({ method: 'GET', url: `/api/directory/search?q=${q.replace(' ', '+')}` });
          return { q, status: res.statusCode, body: res.json() as unknown };
        }),
      );
    const before = await searchAll();
    expect(before.every((r) => r.status === 200)).toBe(true);

    // A newer version's migration, run by the other instance.
    await sql`ALTER TABLE organisations ADD COLUMN added_by_a_newer_version text`.execute(migrating.ctx.db);

    expect(await searchAll()).toEqual(before);
    expect(await searchAll()).toEqual(before);
  });
});
