import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneExpired } from '../../server/housekeeping.js';
import { takeMailSlot } from '../../server/mail/recipient-quota.js';
import { personWithRole } from '../support/staff.js';
import { newCaptcha, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const count = async (table: 'captcha_challenges' | 'sessions' | 'rate_limit_hits' | 'mail_quotas') =>
  Number((await t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('housekeeping', () => {
  it('deletes expired captcha challenges, sessions and rate-limit windows, and keeps those still running', async () => {
    await newCaptcha(t.app);
    await personWithRole(t.app, 'agent');
    // Past the test sessions’ 30 days.
    t.clock.advance(31 * 24 * 3_600_000);
    const fresh = await newCaptcha(t.app);
    expect(await count('captcha_challenges')).toBe(2);
    expect(await count('rate_limit_hits')).toBeGreaterThan(0);

    await pruneExpired(t.app.ctx.db, t.clock);

    expect((await t.app.ctx.db.selectFrom('captcha_challenges').select('id').execute()).map((c) => c.id)).toEqual([fresh]);
    expect(await count('sessions')).toBe(0);
    // The window the fresh captcha was counted in is still open.
    expect(await count('rate_limit_hits')).toBe(1);
  });

  it('forgets the mail quota of an address whose last public email is over a day old, and keeps the others', async () => {
    const db = t.app.ctx.db;
    await db.transaction().execute((trx) => takeMailSlot(trx, t.clock, 'ancien@asso.fr'));
    t.clock.advance(23 * 3_600_000);
    await db.transaction().execute((trx) => takeMailSlot(trx, t.clock, 'recent@asso.fr'));
    t.clock.advance(3_600_000);

    await pruneExpired(db, t.clock);

    expect((await db.selectFrom('mail_quotas').select('recipient').execute()).map((r) => r.recipient)).toEqual(['recent@asso.fr']);
  });
});
