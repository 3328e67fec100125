import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_MAX_FAILURES, CLIENT_MAX_FAILURES, LOCK_MINUTES } from '../../../server/accounts/sessions.service.js';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// Every check of a password against an account's hash goes through this gate,
// which the tests hold shut: a burst's attempts are then all in flight at
// once, whatever the machine's speed, and the checks can be counted. The
// dummy check of unknown or refused attempts is not counted (it calls the
// module's own function).
const hash = vi.hoisted(() => ({ checks: 0, gate: Promise.resolve() }));
vi.mock('../../../server/accounts/password-hash.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../server/accounts/password-hash.js')>();
  return {
    ...original,
    verifyPassword: async (stored: string, password: string) => {
      hash.checks++;
      await hash.gate;
      return original.verifyPassword(stored, password);
    },
  };
});

const LOCKED_SUBJECT = 'ANRUSCOPE – Votre compte est temporairement verrouillé';
let t: TestApp;
let person: Person;
let openGate: () => void;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  person = await personWithRole(t.app, 'approver');
  hash.checks = 0;
  hash.gate = new Promise((resolve) => (openGate = resolve));
});
afterEach(async () => {
  openGate();
  await t.close();
});

function signIn(email: string, password: string, remoteAddress: string) {
  return t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress });
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error('the burst did not settle');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Sends `wrong` at once and waits until each attempt is either answered or
 * held at the gate; then sends `last`, waits the same for it, and opens the
 * gate. Returns every answer, `last`'s at the end.
 */
async function burstThenLast(wrong: (() => ReturnType<typeof signIn>)[], last: () => ReturnType<typeof signIn>) {
  let answered = 0;
  const track = (attempt: ReturnType<typeof signIn>) => attempt.finally(() => answered++);
  const inFlight = wrong.map((attempt) => track(attempt()));
  await until(() => answered + hash.checks === wrong.length);
  const checksBefore = hash.checks;
  const lastAnswer = track(last());
  await until(() => answered + hash.checks === wrong.length + 1 || hash.checks > checksBefore);
  openGate();
  return Promise.all([...inFlight, lastAnswer]);
}

describe('sign-in attempts sent at once', () => {
  it(`25 wrong passwords and then the right one, all in flight: ${ACCOUNT_MAX_FAILURES} are checked, the right one is refused, the account locks once`, async () => {
    // From as many addresses: only the account's limit is at stake here.
    const answers = await burstThenLast(
      Array.from({ length: 25 }, (_, i) => () => signIn(person.email, `Mauvais-${i}-Passe`, `10.0.1.${i + 1}`)),
      () => signIn(person.email, STAFF_PASSWORD, '10.0.1.200'),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(26).fill(401));
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expect(hash.checks).toBe(ACCOUNT_MAX_FAILURES);

    expect((await signIn(person.email, STAFF_PASSWORD, '10.0.1.201')).statusCode).toBe(401);
    expect((await t.deliverAndRead()).map((m) => m.subject)).toEqual([LOCKED_SUBJECT]);
    t.clock.advance((LOCK_MINUTES + 1) * 60_000);
    expect((await signIn(person.email, STAFF_PASSWORD, '10.0.1.201')).statusCode).toBe(200);
  });

  it(`25 wrong passwords on as many accounts from one address, then a right one: ${CLIENT_MAX_FAILURES} are checked, the rest refused unchecked`, async () => {
    const others: Person[] = [];
    for (let i = 0; i < 25; i++) others.push(await personWithRole(t.app, 'partner', `cible${i}`));
    const answers = await burstThenLast(
      others.map((p, i) => () => signIn(p.email, `Mauvais-${i}-Passe`, '10.2.3.4')),
      () => signIn(person.email, STAFF_PASSWORD, '10.2.3.4'),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(26).fill(401));
    expect(hash.checks).toBe(CLIENT_MAX_FAILURES);

    // The address is locked; another one signs in.
    expect((await signIn(person.email, STAFF_PASSWORD, '10.2.3.4')).statusCode).toBe(401);
    expect((await signIn(person.email, STAFF_PASSWORD, '10.2.3.5')).statusCode).toBe(200);
  });

  it('a success gives its attempt back: after 19 failures from an address, its owner signs in again and again', async () => {
    hash.gate = Promise.resolve();
    for (let i = 0; i < CLIENT_MAX_FAILURES - 1; i++) expect((await signIn(`inconnu${i}@example.fr`, 'Mauvais-Passe-1', '10.3.3.3')).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await signIn(person.email, STAFF_PASSWORD, '10.3.3.3')).statusCode).toBe(200);
    expect((await signIn('inconnu@example.fr', 'Mauvais-Passe-1', '10.3.3.3')).statusCode).toBe(401);
    expect((await signIn(person.email, STAFF_PASSWORD, '10.3.3.3')).statusCode).toBe(401);
  });
});
