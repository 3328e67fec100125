import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFUSABLE_CHARACTERS, randomCaptchaText } from '../../../server/captcha/captcha.service.js';
import { CAPTCHA_TEXT, newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
});
afterEach(async () => {
  await t.close();
});

function submit(body: object) {
  return t.app.inject({ method: 'POST', url: '/api/registrations', payload: body });
}

describe('captcha', () => {
  it('draws a PNG image of the size it is shown at, and never discloses its answer', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/captcha' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'image']);
    expect(body.image).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(body.image.slice(body.image.indexOf(',') + 1), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([180, 60]);
    expect(res.body).not.toContain(CAPTCHA_TEXT);
    const stored = await t.app.ctx.db.selectFrom('captcha_challenges').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(CAPTCHA_TEXT);
  });

  it('draws random texts without the easily confused characters', () => {
    const texts = Array.from({ length: 500 }, randomCaptchaText);
    expect(new Set(texts).size).toBeGreaterThan(490);
    for (const c of CONFUSABLE_CHARACTERS) expect(texts.join('')).not.toContain(c);
  });

  it('is spent by a wrong answer: the right answer on the same image is then refused', async () => {
    const captchaId = await newCaptcha(t.app);
    const wrong = await submit(validRegistration({ captchaId, captchaAnswer: 'AAAAAA' }));
    expect(wrong.json()).toMatchObject({ error: 'captcha_mismatch' });
    const retry = await submit(validRegistration({ captchaId }));
    expect(retry.statusCode).toBe(400);
    expect(retry.json()).toMatchObject({ error: 'captcha_expired' });
  });

  it('is single use after a success too', async () => {
    const captchaId = await newCaptcha(t.app);
    expect((await submit(validRegistration({ captchaId }))).statusCode).toBe(202);
    expect((await submit(validRegistration({ captchaId, email: 'autre@saint-etienne.fr' }))).json()).toMatchObject({ error: 'captcha_expired' });
  });

  it('expires after ten minutes by default', async () => {
    const captchaId = await newCaptcha(t.app);
    t.clock.advance(11 * 60_000);
    expect((await submit(validRegistration({ captchaId }))).json()).toMatchObject({ error: 'captcha_expired' });
  });

  it('is rate limited per client, in French', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await t.app.inject({ method: 'POST', url: '/api/captcha' }));
    expect(answers.slice(0, 10).every((r) => r.statusCode === 200)).toBe(true);
    expect(answers[10]!.statusCode).toBe(429);
    expect(answers[10]!.json().message).toMatch(/Trop de demandes/);
    const other = await t.app.inject({ method: 'POST', url: '/api/captcha', remoteAddress: '10.0.0.9' });
    expect(other.statusCode).toBe(200);
  });
});

describe('registration rate limit', () => {
  it('refuses the sixth submission in a minute from one client', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await submit(validRegistration({ captchaId: 'none' }))).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });
});
