import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTCHA_TEXT, newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';
import {
  applyMutation,
  expectRefusal,
  hostileText,
  malformedBody,
  mutations,
  pathSegment,
  refusalProblem,
  REGISTRATION_PLAN,
  RUNS,
  storedCounts,
  withFields,
  type MutationPlan,
} from './support.js';

// Every public endpoint, fed what a hostile or clumsy client sends: each
// answer is a 4xx in French, nothing is stored, never a 5xx.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t.close();
});

function post(url: string, payload: unknown, contentType = 'application/json') {
  return t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

/** The property every refused request must hold: a French 4xx, and no row written anywhere. */
async function refusedWithoutTrace(send: () => ReturnType<typeof post>): Promise<void> {
  const before = await storedCounts(t.app);
  const res = await send();
  expect(refusalProblem(res)).toBeNull();
  expect(await storedCounts(t.app)).toEqual(before);
}

const VALID_TOKEN = 'x'.repeat(43);

const BODY_ROUTES: { url: string; body: () => Promise<Record<string, unknown>>; plan: MutationPlan }[] = [
  {
    url: '/api/registrations',
    body: async () => validRegistration({ captchaId: await newCaptcha(t.app), email: 'proprietes@saint-etienne.fr' }),
    plan: withFields(REGISTRATION_PLAN, {
      required: [['confirm', 'captchaId'], ['confirm', 'captchaAnswer']],
      strings: [
        [['confirm', 'captchaId'], 64],
        [['confirm', 'captchaAnswer'], 20],
      ],
      printable: [['organisation', 'siren'], ['confirm', 'captchaId']],
    }),
  },
  {
    url: '/api/session',
    body: async () => ({ email: 'personne@example.fr', password: 'Mot-De-Passe-2026' }),
    plan: { required: [['email'], ['password']], strings: [[['email'], 254], [['password'], 128]], printable: [['email']] },
  },
  {
    url: '/api/password',
    body: async () => ({ token: VALID_TOKEN, password: 'Renouveau-Urbain-2026', confirmation: 'Renouveau-Urbain-2026' }),
    plan: {
      required: [['token'], ['password'], ['confirmation']],
      strings: [[['token'], 200], [['password'], 128]],
      printable: [['token']],
    },
  },
  {
    url: '/api/password/token-status',
    body: async () => ({ token: VALID_TOKEN }),
    plan: { required: [['token']], strings: [[['token'], 200]], printable: [['token']] },
  },
  {
    url: '/api/password/new-link',
    body: async () => ({ email: 'personne@example.fr' }),
    plan: { required: [['email']], strings: [[['email'], 254]], printable: [['email']] },
  },
];

describe.each(BODY_ROUTES)('POST $url', ({ url, body, plan }) => {
  it('refuses bodies that are not a JSON object, in French, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(malformedBody, async ({ payload, contentType }) => {
        await refusedWithoutTrace(() => post(url, payload, contentType));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a valid body with one thing wrong (missing, mistyped, extra, too long, control character), in French, storing nothing', async () => {
    const base = await body();
    await fc.assert(
      fc.asyncProperty(mutations(base, plan), async (mutation) => {
        const sent = applyMutation(await body(), mutation);
        await refusedWithoutTrace(() => post(url, sent));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('POST /api/registrations with hostile text in each field', () => {
  const fields: string[][] = [
    ['identity', 'lastName'],
    ['identity', 'firstName'],
    ['identity', 'jobTitle'],
    ['organisation', 'siren'],
    ['contact', 'email'],
    ['contact', 'phone'],
    ['confirm', 'captchaAnswer'],
  ];
  let n = 0;
  it('never fails: it refuses in French storing nothing, or stores the text exactly as typed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), hostileText, async (path, text) => {
        const email = `hostile${n++}@saint-etienne.fr`;
        const sent = validRegistration({ email, captchaId: await newCaptcha(t.app) }) as unknown as Record<string, Record<string, unknown>>;
        sent[path[0]!]![path[1]!] = text;
        const before = await storedCounts(t.app);
        const res = await post('/api/registrations', sent);
        if (res.statusCode === 202) {
          const stored = await t.app.ctx.db.selectFrom('registrations').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
          if (path[1] === 'jobTitle') expect(stored.job_title).toBe(text.trim());
          if (path[1] === 'lastName') expect(stored.last_name).toBe(text.trim());
          if (path[1] === 'firstName') expect(stored.first_name).toBe(text.trim());
        } else {
          expect(refusalProblem(res)).toBeNull();
          expect(await storedCounts(t.app)).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses the right captcha answer with anything around it but spaces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 5 }).filter((s) => s.trim() !== ''), fc.boolean(), async (extra, before) => {
        const answer = before ? `${extra}${CAPTCHA_TEXT}` : `${CAPTCHA_TEXT}${extra}`;
        await refusedWithoutTrace(() => post('/api/registrations', validRegistration({ email: 'captcha@saint-etienne.fr', captchaId: 'inutile', captchaAnswer: answer })));
      }),
      { numRuns: 40 },
    );
  });
});

describe('GET /api/directory/search and /api/directory/organisations/:siren', () => {
  it('answer any query string with results or a French 4xx, never a failure', async () => {
    const param = fc.oneof(hostileText, fc.constantFrom('', ' ', '0', '-1', '1e3', '101', 'NaN', 'Infinity', '2.5', '０１２'));
    await fc.assert(
      fc.asyncProperty(param, param, fc.boolean(), async (q, page, repeat) => {
        const query = new URLSearchParams({ q, page });
        if (repeat) query.append('q', q);
        const res = await t.app.inject({ method: 'GET', url: `/api/directory/search?${query.toString()}` });
        if (res.statusCode !== 200) expectRefusal(res);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuse unknown query parameters in French', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/directory/search?q=lyon&tri=nom' });
    expectRefusal(res);
    expect(res.statusCode).toBe(400);
  });

  it('answer any path segment with an organisation or a French 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (segment) => {
        const res = await t.app.inject({ method: 'GET', url: `/api/directory/organisations/${pathSegment(segment)}` });
        if (res.statusCode !== 200) expectRefusal(res);
      }),
      { numRuns: RUNS },
    );
  });
});
