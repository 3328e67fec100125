import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChallenge, randomCaptchaText } from '../../../server/captcha/captcha.service.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, CAPTCHA_TEXT, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

// Single use and expiry are covered in test/server/captcha; here: the
// answer's letter case, and that no answer leaves the service in any form.
let t: TestApp;
let admin: Person;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  admin = await personWithRole(t.app, 'admin');
});
afterAll(async () => {
  await t.close();
});

function submit(captchaId: string, captchaAnswer: string, email: string) {
  return t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ captchaId, captchaAnswer, email }) });
}

// Image data and colour information only: no tEXt, zTXt, iTXt or any other chunk that could carry words.
const RASTER_CHUNKS = ['IHDR', 'PLTE', 'tRNS', 'sBIT', 'sRGB', 'gAMA', 'IDAT', 'IEND'];

function pngChunks(png: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset < png.length; offset += 12 + png.readUInt32BE(offset)) types.push(png.toString('latin1', offset + 4, offset + 8));
  return types;
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('the captcha answer', () => {
  it.each([
    ['all lowercase', CAPTCHA_TEXT.toLowerCase()],
    ['all uppercase', CAPTCHA_TEXT.toUpperCase()],
    ['each letter in the other case', swapCase(CAPTCHA_TEXT)],
    ['one letter in the other case', `${CAPTCHA_TEXT.slice(0, 5)}${swapCase(CAPTCHA_TEXT.slice(5))}`],
  ])('is case-sensitive: %s is refused, in French, and nothing is stored', async (_name, answer) => {
    const before = await t.app.ctx.db.selectFrom('registrations').select('id').execute();
    const res = await submit(await newCaptcha(t.app), answer, 'casse@saint-etienne.fr');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'captcha_mismatch', fields: { 'confirm.captchaAnswer': expect.stringMatching(/majuscules et minuscules/) } });
    expect(await t.app.ctx.db.selectFrom('registrations').select('id').execute()).toEqual(before);
  });

  it('is drawn as pixels: no image carries its characters as text, outlines or metadata', async () => {
    const drawn: string[] = [];
    for (let i = 0; i < 50; i++) {
      const challenge = await createChallenge(t.app.ctx.db, t.app.ctx.clock, {
        ttlMinutes: 10,
        text: () => {
          drawn.push(randomCaptchaText());
          return drawn[drawn.length - 1]!;
        },
      });
      const text = drawn[drawn.length - 1]!;
      expect(challenge.image).toMatch(/^data:image\/png;base64,/);
      const chunks = pngChunks(Buffer.from(challenge.image.slice(challenge.image.indexOf(',') + 1), 'base64'));
      expect(chunks).toEqual(expect.arrayContaining(['IHDR', 'IDAT', 'IEND']));
      for (const chunk of chunks) expect(RASTER_CHUNKS, `chunk ${chunk}`).toContain(chunk);
      expect(JSON.stringify(challenge)).not.toContain(text);
    }
  });

  it('is not readable from any API response, nor is its hash or salt', async () => {
    const leaks: string[] = [];
    const stored = () => t.app.ctx.db.selectFrom('captcha_challenges').select(['salt', 'answer_hash']).execute();
    const check = (label: string, payload: string, secrets: string[]) => {
      for (const secret of secrets) if (payload.includes(secret)) leaks.push(`${label} discloses ${secret}`);
    };

    const captcha = await t.app.inject({ method: 'POST', url: '/api/captcha' });
    const { id } = captcha.json() as { id: string };
    const challenge = (await stored()).at(-1)!;
    const secrets = [CAPTCHA_TEXT, challenge.salt, challenge.answer_hash];
    check('POST /api/captcha', captcha.body + JSON.stringify(captcha.headers), secrets);
    const wrong = await submit(await newCaptcha(t.app), 'AAAAAA', 'mauvaise.reponse@saint-etienne.fr');
    check('a refused registration', wrong.body + JSON.stringify(wrong.headers), secrets);
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/registrations',
      payload: validRegistration({ captchaId: id, email: 'fuite@asso.fr', siren: UNTRUSTED_ORGANISATION.siren }),
    });
    expect(accepted.statusCode).toBe(202);
    check('an accepted registration', accepted.body + JSON.stringify(accepted.headers), secrets);

    // Everything an admin can read afterwards, the request and the audit trail included.
    const { id: requestId } = await t.app.ctx.db.selectFrom('registrations').select('id').where('email', '=', 'fuite@asso.fr').executeTakeFirstOrThrow();
    const reads = t.app.routeAccess.filter((r) => r.method === 'GET').map((r) => r.url.replace(':id', requestId).replace(':siren', UNTRUSTED_ORGANISATION.siren));
    const queries: Record<string, string> = { '/api/staff/search': '?q=fuite', '/api/directory/search': '?q=quartiers' };
    for (const url of reads) {
      const res = await t.app.inject({ method: 'GET', url: url + (queries[url] ?? ''), cookies: admin.cookies });
      expect(res.statusCode, url).toBeLessThan(500);
      check(`GET ${url}`, res.body + JSON.stringify(res.headers), secrets);
    }
    expect(leaks).toEqual([]);
    expect(reads).toEqual(expect.arrayContaining([`/api/staff/requests/${requestId}`, '/api/staff/audit.csv', '/api/openapi.json']));
  });
});
