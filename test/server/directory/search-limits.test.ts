import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// The directory is public and each search costs the database some work: a
// client is held to a generous number per minute (the wizard searches as one
// types), and a one-letter word, which as a prefix would gather a large part
// of the directory, is matched as a whole word.
const PER_MINUTE = 5;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ DIRECTORY_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) });
});
afterAll(async () => {
  await t.close();
});

let clients = 0;
function newClient(): string {
  clients++;
  return `10.30.${clients >> 8}.${clients & 255}`;
}

function search(q: string, remoteAddress = newClient()) {
  return t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q }, remoteAddress });
}

describe('directory rate limit', () => {
  it.each([
    ['search', (client: string) => search('saint etienne', client)],
    ['organisation by SIREN', (client: string) => t.app.inject({ method: 'GET', url: '/api/directory/organisations/214202186', remoteAddress: client })],
  ])('%s: a client gets DIRECTORY_RATE_LIMIT_PER_MINUTE answers a minute, then a French 429; others are not held back', async (_label, call) => {
    const client = newClient();
    const statuses = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) statuses.push((await call(client)).statusCode);
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429, 429]);
    const refused = await call(client);
    expect(refused.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/^Trop de demandes depuis ce poste : réessayez dans \d+ secondes\.$/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(newClient())).statusCode).toBe(200);
    t.clock.advance(61_000);
    expect((await call(client)).statusCode).toBe(200);
  });
});

describe('a generous directory limit', () => {
  it('lets exactly the limit through from one client, even in one simultaneous burst, and counts a new minute afresh', async () => {
    // 45 a minute: hits are taken from the shared counter four at a time, and the last block is cut to the limit.
    const generous = await startTestApp({ DIRECTORY_RATE_LIMIT_PER_MINUTE: '45' });
    try {
      const client = newClient();
      const burst = () => Promise.all(Array.from({ length: 60 }, () => generous.app.inject({ method: 'GET', url: '/api/directory/search', query: { q: 'lyon' }, remoteAddress: client })));
      const first = await burst();
      expect(first.filter((r) => r.statusCode === 200)).toHaveLength(45);
      expect(first.filter((r) => r.statusCode === 429)).toHaveLength(15);
      generous.clock.advance(61_000);
      expect((await burst()).filter((r) => r.statusCode === 200)).toHaveLength(45);
    } finally {
      await generous.close();
    }
  });
});

describe('a one-letter word', () => {
  const hasWord = (name: string, word: string) => name.toLowerCase().split(/[\s'’-]+/).includes(word);

  it('matches that word alone, not every word it starts: "etienne a" finds Saint-Étienne-à-Arnes, not Saint-Étienne-au-Mont', async () => {
    const res = await search('etienne a');
    expect(res.statusCode).toBe(200);
    const names = (res.json() as { results: { name: string }[] }).results.map((r) => r.name);
    expect(names).toContain('Saint-Étienne-à-Arnes');
    expect(names).not.toContain('Saint-Étienne-au-Mont');
    for (const name of names) expect(hasWord(name, 'à'), name).toBe(true);
  });

  it('two letters and more still start words: "etienne au" finds Saint-Étienne-au-Mont', async () => {
    const names = ((await search('etienne au')).json() as { results: { name: string }[] }).results.map((r) => r.name);
    expect(names).toContain('Saint-Étienne-au-Mont');
  });
});
