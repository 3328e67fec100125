import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';
import { applyMutation, hostileText, malformedBody, mutations, pathSegment, refusalProblem, REGISTRATION_PLAN, RUNS, storedCounts, type MutationPlan } from './support.js';

// The staff side, signed in with the right role, fed what a clumsy script or
// a compromised desk sends: a French 4xx, nothing written, never a 5xx.
let t: TestApp;
let agent: Person;
let approver: Person;
let admin: Person;
let pendingId: string;
let reasonId: string;
let ruleId: string;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  agent = await personWithRole(t.app, 'agent');
  approver = await personWithRole(t.app, 'approver');
  admin = await personWithRole(t.app, 'admin');
  await addUntrustedOrganisation(t.app);
  await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: validRegistration({ email: 'en.attente@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }),
  });
  pendingId = (await t.app.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow()).id;
  reasonId = (await t.app.ctx.db.selectFrom('rejection_reasons').select('id').executeTakeFirstOrThrow()).id;
  ruleId = (await t.app.ctx.db.selectFrom('trust_rules').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
});

type Method = 'POST' | 'PUT' | 'GET' | 'DELETE';

function send(method: Method, url: string, as: Person, payload?: unknown, contentType = 'application/json') {
  return t.app.inject({
    method,
    url,
    cookies: as.cookies,
    ...(payload === undefined ? {} : { headers: { 'content-type': contentType }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  });
}

async function refusedWithoutTrace(request: () => ReturnType<typeof send>): Promise<void> {
  const before = await storedCounts(t.app);
  const res = await request();
  expect(refusalProblem(res)).toBeNull();
  expect(await storedCounts(t.app)).toEqual(before);
}


interface BodyRoute {
  method: Method;
  url: () => string;
  as: () => Person;
  body: Record<string, unknown>;
  plan: MutationPlan;
}

const ROUTES: [string, () => BodyRoute][] = [
  [
    'POST /api/staff/phone-registrations',
    () => {
      const { identity, organisation, contact } = validRegistration({ email: 'appel@saint-etienne.fr', captchaId: 'x' });
      return { method: 'POST', url: () => '/api/staff/phone-registrations', as: () => agent, body: { identity, organisation, contact, confirm: { termsAccepted: true } }, plan: REGISTRATION_PLAN };
    },
  ],
  [
    'POST /api/staff/accounts',
    () => ({
      method: 'POST',
      url: () => '/api/staff/accounts',
      as: () => admin,
      body: { email: 'nouvel.agent@anru.fr', firstName: 'Nina', lastName: 'Nouvelle', role: 'agent' },
      plan: {
        required: [['email'], ['firstName'], ['lastName'], ['role']],
        strings: [[['email'], 254], [['firstName'], 80], [['lastName'], 80]],
        printable: [['email'], ['firstName'], ['lastName']],
      },
    }),
  ],
  [
    'POST /api/staff/trust-rules',
    () => ({
      method: 'POST',
      url: () => '/api/staff/trust-rules',
      as: () => approver,
      body: { kind: 'siren', value: UNTRUSTED_ORGANISATION.siren, reason: 'Partenaire historique du quartier' },
      plan: { required: [['kind'], ['value'], ['reason']], strings: [[['value'], 9], [['reason'], 500]], printable: [['value']] },
    }),
  ],
  [
    'POST /api/staff/trust-rules/:id/remove',
    () => ({
      method: 'POST',
      url: () => `/api/staff/trust-rules/${ruleId}/remove`,
      as: () => approver,
      body: { reason: 'Règle trop large' },
      plan: { required: [['reason']], strings: [[['reason'], 500]], printable: [] },
    }),
  ],
  [
    'POST /api/staff/requests/:id/reject',
    () => ({
      method: 'POST',
      url: () => `/api/staff/requests/${pendingId}/reject`,
      as: () => approver,
      body: { reasonId, comment: 'Merci de passer par votre référent.' },
      plan: { required: [['reasonId']], strings: [[['reasonId'], 64], [['comment'], 1000]], printable: [] },
    }),
  ],
  [
    'POST /api/staff/rejection-reasons',
    () => ({
      method: 'POST',
      url: () => '/api/staff/rejection-reasons',
      as: () => admin,
      body: { label: 'Organisme hors périmètre', active: true },
      plan: { required: [['label']], strings: [[['label'], 200]], printable: [] },
    }),
  ],
  [
    'PUT /api/staff/rejection-reasons/:id',
    () => ({
      method: 'PUT',
      url: () => `/api/staff/rejection-reasons/${reasonId}`,
      as: () => admin,
      body: { label: 'Organisme hors périmètre', active: false },
      plan: { required: [['label']], strings: [[['label'], 200]], printable: [] },
    }),
  ],
];

describe.each(ROUTES)('%s', (_name, route) => {
  it('refuses bodies that are not a JSON object, in French, writing nothing', async () => {
    const { method, url, as } = route();
    await fc.assert(
      fc.asyncProperty(malformedBody, async ({ payload, contentType }) => {
        await refusedWithoutTrace(() => send(method, url(), as(), payload, contentType));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a valid body with one thing wrong, in French, writing nothing', async () => {
    const { method, url, as, body, plan } = route();
    await fc.assert(
      fc.asyncProperty(mutations(body, plan), async (mutation) => {
        await refusedWithoutTrace(() => send(method, url(), as(), applyMutation(body, mutation)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('POST /api/staff/trust-rules/:id/approve-covered', () => {
  it('answers any list of ids with what it skipped, or a French 4xx, approving nothing it does not cover', async () => {
    const ids = fc.oneof(
      fc.array(hostileText, { maxLength: 20 }),
      fc.anything(),
      fc.constant(Array.from({ length: 501 }, () => '00000000-0000-4000-8000-000000000000')),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (value) => {
        const before = await storedCounts(t.app);
        const res = await send('POST', `/api/staff/trust-rules/${ruleId}/approve-covered`, approver, { ids: value });
        if (res.statusCode !== 200) expect(refusalProblem(res)).toBeNull();
        expect(await storedCounts(t.app)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('staff routes taking an id in the address', () => {
  const routes: [Method, string][] = [
    ['GET', ''],
    ['POST', '/claim'],
    ['DELETE', '/claim'],
    ['POST', '/approve'],
    ['POST', '/cancel'],
    ['POST', '/resend-invitation'],
  ];
  it('answer a malformed or unknown id with a French 4xx, writing nothing', async () => {
    const id = fc.oneof(hostileText, fc.uuid().map((u) => u.toUpperCase()), fc.uuid());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), id, async ([method, suffix], value) => {
        const before = await storedCounts(t.app);
        const res = await send(method, `/api/staff/requests/${pathSegment(value)}${suffix}`, approver);
        // Letting go of a request one does not hold is no error: there is nothing to let go.
        const harmless = method === 'DELETE' && res.statusCode === 204;
        if (!harmless) expect(refusalProblem(res)).toBeNull();
        expect(await storedCounts(t.app)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('staff searches', () => {
  it('answer any query string with results or a French 4xx, never a failure', async () => {
    const text = fc.oneof(hostileText, fc.constantFrom('', ' ', '0', '-1', '1e9', 'NaN', '%', '_', '\\', "'", '2A', '974'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/staff/search', '/api/staff/queue'), text, text, text, async (url, q, page, other) => {
        const query = new URLSearchParams(url === '/api/staff/search' ? { q } : { q, page, departement: other, status: other });
        const res = await send('GET', `${url}?${query.toString()}`, approver);
        if (res.statusCode !== 200) expect(refusalProblem(res)).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});
