import { createChallenge, solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROOF_OF_WORK_COST } from '../../../server/captcha/proof-of-work.service.js';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { pruneExpired } from '../../../server/housekeeping.js';
import { startCluster, startTestApp, validRegistration, type Cluster, type TestApp } from '../../support/test-app.js';
import { refusalProblem, RUNS, storedCounts } from '../properties/support.js';

// The accessible alternative to the captcha image: a proof of work the
// service signs, the page solves, and a registration spends once.
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', PROOF_OF_WORK_MAX_NUMBER: '20' });
});
afterEach(async () => {
  await t.close();
});

async function issue(app: FastifyInstance = t.app): Promise<Challenge> {
  const res = await app.inject({ method: 'POST', url: '/api/proof-of-work' });
  if (res.statusCode !== 200) throw new Error(`proof of work: ${res.statusCode} ${res.body}`);
  return res.json() as Challenge;
}

/** What the page's worker sends: the challenge and its solution, as base64 of JSON. */
function payload(challenge: Challenge, solution: unknown): string {
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('unsolved');
  return payload(challenge, solution);
}

function withProofOfWork(proofOfWork: string, email: string) {
  const body = validRegistration({ captchaId: 'inutile', email });
  return { ...body, confirm: { proofOfWork, termsAccepted: true } };
}

function submit(body: object, app: FastifyInstance = t.app) {
  return app.inject({ method: 'POST', url: '/api/registrations', payload: body });
}

const spentCount = async () =>
  Number((await t.app.ctx.db.selectFrom('proof_of_work_spent').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('the proof of work offered instead of the captcha image', () => {
  it('is a signed PBKDF2 challenge, never cached, that discloses neither its counter nor its key', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/proof-of-work' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const challenge = res.json() as Challenge;
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: PROOF_OF_WORK_COST, keyLength: 32 });
    expect(Object.keys(challenge.parameters).sort()).toEqual(['algorithm', 'cost', 'expiresAt', 'keyLength', 'keyPrefix', 'keySignature', 'nonce', 'salt']);
    // Same lifetime as an image: ten minutes by default.
    expect(challenge.parameters.expiresAt! * 1000 - t.clock.now().getTime()).toBeGreaterThan(9 * 60_000);
    expect(challenge.parameters.expiresAt! * 1000 - t.clock.now().getTime()).toBeLessThanOrEqual(10 * 60_000);
    const solution = (await solveChallenge({ challenge, deriveKey }))!;
    // Between half the work factor and all of it.
    expect(solution.counter).toBeGreaterThanOrEqual(10);
    expect(solution.counter).toBeLessThanOrEqual(20);
    expect(res.body).not.toContain(solution.derivedKey);
    const secret = await t.app.ctx.db.selectFrom('service_secrets').select('value').executeTakeFirstOrThrow();
    expect(res.body).not.toContain(secret.value);
  });

  it('once solved, lets a registration through in place of the image', async () => {
    const res = await submit(withProofOfWork(await solve(await issue()), 'claire.martin@saint-etienne.fr'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'invitation_sent' });
    expect(await spentCount()).toBe(1);
  });

  it('is single use: the same solution sent again is refused, in French', async () => {
    const proof = await solve(await issue());
    expect((await submit(withProofOfWork(proof, 'claire.martin@saint-etienne.fr'))).statusCode).toBe(202);
    const replay = await submit(withProofOfWork(proof, 'autre.personne@saint-etienne.fr'));
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({
      error: 'proof_of_work_used',
      fields: { 'confirm.proofOfWork': expect.stringMatching(/déjà servi.*nouvelle vérification est lancée/) },
    });
  });

  it('expires with the captcha images’ lifetime', async () => {
    const proof = await solve(await issue());
    t.clock.advance(11 * 60_000);
    const res = await submit(withProofOfWork(proof, 'claire.martin@saint-etienne.fr'));
    expect(res.json()).toMatchObject({ error: 'proof_of_work_expired', message: expect.stringMatching(/a expiré/) });
    expect(await spentCount()).toBe(0);
  });

  it('refuses a challenge this service did not sign: altered, unsigned, or signed with another key', async () => {
    const challenge = await issue();
    const solution = (await solveChallenge({ challenge, deriveKey }))!;
    const later = { ...challenge, parameters: { ...challenge.parameters, expiresAt: challenge.parameters.expiresAt! + 3600 } };
    const unsigned = { parameters: challenge.parameters };
    const otherKey = await createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: PROOF_OF_WORK_COST,
      counter: 1,
      deriveKey,
      expiresAt: new Date(t.clock.now().getTime() + 60_000),
      hmacSignatureSecret: 'une autre clé',
      hmacKeySignatureSecret: 'encore une autre',
    });
    const proofs = [
      payload(later, solution),
      payload(unsigned as Challenge, solution),
      payload({ ...challenge, signature: 'ab'.repeat(32) }, solution),
      await solve(otherKey),
      Buffer.from('pas du JSON').toString('base64'),
      Buffer.from(JSON.stringify({ challenge: 'x', solution: 1 })).toString('base64'),
    ];
    for (const [i, proof] of proofs.entries()) {
      const res = await submit(withProofOfWork(proof, `forge${i}@saint-etienne.fr`));
      expect(res.statusCode, `proof ${i}`).toBe(400);
      expect(res.json(), `proof ${i}`).toMatchObject({ error: 'proof_of_work_forged', message: expect.stringMatching(/n'a pas été délivrée par le guichet/) });
    }
    expect(await spentCount()).toBe(0);
    // The genuine challenge was not spent by the forgeries.
    expect((await submit(withProofOfWork(payload(challenge, solution), 'claire.martin@saint-etienne.fr'))).statusCode).toBe(202);
  });

  it('refuses the solution of another challenge, and the challenge is then spent', async () => {
    const [first, second] = [await issue(), await issue()];
    const secondSolution = (await solveChallenge({ challenge: second, deriveKey }))!;
    const res = await submit(withProofOfWork(payload(first, secondSolution), 'claire.martin@saint-etienne.fr'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'proof_of_work_mismatch', message: expect.stringMatching(/ne correspond pas/) });
    const again = await submit(withProofOfWork(await solve(first), 'claire.martin@saint-etienne.fr'));
    expect(again.json()).toMatchObject({ error: 'proof_of_work_used' });
    expect((await submit(withProofOfWork(payload(second, secondSolution), 'claire.martin@saint-etienne.fr'))).statusCode).toBe(202);
  });

  it('is rate limited per client like the images, in French', async () => {
    const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await limited.app.inject({ method: 'POST', url: '/api/proof-of-work' }));
      expect(answers.slice(0, 10).every((r) => r.statusCode === 200)).toBe(true);
      expect(answers[10]!.statusCode).toBe(429);
      expect(answers[10]!.json().message).toMatch(/Trop de demandes/);
      expect((await limited.app.inject({ method: 'POST', url: '/api/proof-of-work', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('takes its work factor from PROOF_OF_WORK_MAX_NUMBER, checked at start', () => {
    expect(loadConfig({}, '/').proofOfWorkMaxNumber).toBe(2500);
    expect(loadConfig({ PROOF_OF_WORK_MAX_NUMBER: '40' }, '/').proofOfWorkMaxNumber).toBe(40);
    for (const bad of ['1', '1000001', 'beaucoup']) {
      expect(() => loadConfig({ PROOF_OF_WORK_MAX_NUMBER: bad }, '/')).toThrow(ConfigError);
    }
    expect(() => loadConfig({ PROOF_OF_WORK_MAX_NUMBER: '0' }, '/')).toThrow(/PROOF_OF_WORK_MAX_NUMBER doit être un entier entre 2 et 1000000/);
  });

  it('is forgotten by housekeeping once expired', async () => {
    expect((await submit(withProofOfWork(await solve(await issue()), 'claire.martin@saint-etienne.fr'))).statusCode).toBe(202);
    await pruneExpired(t.app.ctx.db, t.clock);
    expect(await spentCount()).toBe(1);
    t.clock.advance(11 * 60_000);
    await pruneExpired(t.app.ctx.db, t.clock);
    expect(await spentCount()).toBe(0);
  });
});

describe('the confirmation step takes the image or the proof of work, exactly one', () => {
  it('refuses both at once, and neither, with French messages on the fields', async () => {
    const proof = await solve(await issue());
    const body = validRegistration({ captchaId: 'inutile', email: 'claire.martin@saint-etienne.fr' });
    const both = await submit({ ...body, confirm: { ...body.confirm, proofOfWork: proof } });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ error: 'validation_failed', fields: { 'confirm.proofOfWork': expect.stringMatching(/pas les deux/) } });
    const answerToo = await submit({ ...body, confirm: { captchaAnswer: 'Kx7PqR', proofOfWork: proof, termsAccepted: true } });
    expect(answerToo.json()).toMatchObject({ fields: { 'confirm.proofOfWork': expect.stringMatching(/pas les deux/) } });
    const neither = await submit({ ...body, confirm: { termsAccepted: true } });
    expect(neither.json()).toMatchObject({
      error: 'validation_failed',
      fields: { 'confirm.captchaId': expect.any(String), 'confirm.captchaAnswer': expect.stringMatching(/Recopiez les caractères/) },
    });
    for (const bad of ['', 'pas du base64 !', 'A'.repeat(2049)]) {
      const res = await submit(withProofOfWork(bad, 'claire.martin@saint-etienne.fr'));
      expect(res.json(), bad.slice(0, 20)).toMatchObject({ error: 'validation_failed', fields: { 'confirm.proofOfWork': expect.stringMatching(/n'a pas abouti/) } });
    }
    expect(await spentCount()).toBe(0);
  });

  it('refuses any other payload in French, storing nothing: never a 5xx', async () => {
    const challenge = await issue();
    const solution = (await solveChallenge({ challenge, deriveKey }))!;
    const before = await storedCounts(t.app);
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const tampered = fc.record({
      challenge: fc.oneof(
        scalar,
        fc.record({ parameters: fc.dictionary(fc.constantFrom(...Object.keys(challenge.parameters), 'data'), fc.jsonValue()), signature: scalar }),
        fc.constantFrom(challenge).map((c) => ({ ...c, signature: c.signature!.replace(/^./, (d) => (d === '0' ? '1' : '0')) })),
      ),
      solution: fc.oneof(scalar, fc.record({ counter: fc.oneof(scalar, fc.integer({ min: -1, max: 2 ** 33 })), derivedKey: fc.oneof(scalar, fc.constant(solution.derivedKey)) })),
    });
    const payloads = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      tampered.map((value) => JSON.stringify(value)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(payloads, async (text) => {
        const proof = Buffer.from(text).toString('base64').slice(0, 2048);
        const res = await submit(withProofOfWork(proof, 'propriete@saint-etienne.fr'));
        expect(refusalProblem(res)).toBeNull();
      }),
      { numRuns: RUNS },
    );
    expect(await storedCounts(t.app)).toEqual(before);
  });

  it('is described in the OpenAPI document as one or the other', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/proof-of-work'].post.responses).toHaveProperty('200');
    const confirm = doc.paths['/api/registrations'].post.requestBody.content['application/json'].schema.properties.confirm;
    expect(confirm.required).toEqual(['termsAccepted']);
    expect(confirm.oneOf).toEqual([{ required: ['captchaId', 'captchaAnswer'] }, { required: ['proofOfWork'] }]);
    expect(confirm.properties.proofOfWork).toMatchObject({ type: 'string', maxLength: 2048 });
  });
});

describe('two service instances on one database', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
  });

  it('share one signing key: a challenge issued by one is spent at the other, and only once', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000', PROOF_OF_WORK_MAX_NUMBER: '20' });
    const [a, b] = cluster.apps as [FastifyInstance, FastifyInstance];
    const proof = await solve(await issue(a));
    expect((await submit(withProofOfWork(proof, 'claire.martin@saint-etienne.fr'), b)).statusCode).toBe(202);
    expect((await submit(withProofOfWork(proof, 'autre.personne@saint-etienne.fr'), a)).json()).toMatchObject({ error: 'proof_of_work_used' });
    const others = await Promise.all(
      [a, b, a, b].map(async (app, i) => (await submit(withProofOfWork(await solve(await issue(b)), `en.meme.temps${i}@saint-etienne.fr`), app)).statusCode),
    );
    expect(others).toEqual([202, 202, 202, 202]);
    const keys = await a.ctx.db.selectFrom('service_secrets').select('name').execute();
    expect(keys).toEqual([{ name: 'proof_of_work' }]);
  });

  it('take one solution once when it reaches both at the same moment', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000', PROOF_OF_WORK_MAX_NUMBER: '20' });
    const [a, b] = cluster.apps as [FastifyInstance, FastifyInstance];
    const proof = await solve(await issue(a));
    const answers = await Promise.all([
      submit(withProofOfWork(proof, 'premiere@saint-etienne.fr'), a),
      submit(withProofOfWork(proof, 'seconde@saint-etienne.fr'), b),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([202, 400]);
    expect(answers.find((r) => r.statusCode === 400)!.json()).toMatchObject({ error: 'proof_of_work_used' });
  });
});
