import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

// Cross-site request forgery: a page of another site makes the staff
// member's browser send a state change with their session cookie. The
// service takes a cookie-carried change only from its own pages (Origin, or
// the browser's Sec-Fetch-Site), and reads JSON alone, which another site
// cannot send without the service's consent. Bearer tokens (the desktop app)
// and kiosk keys are not sent by browsers on their own: no such check.

const OWN_ORIGIN = 'http://guichet.test';
const FOREIGN_ORIGIN = 'https://attaquant.example';
const CROSS_ORIGIN_MESSAGE = "Cette demande ne vient pas d'une page du Guichet : elle est refusée. Ouvrez le Guichet à son adresse habituelle et recommencez.";

let t: TestApp;
let base: string;
let approver: Person;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  approver = await personWithRole(t.app, 'approver', 'csrf');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

async function pendingRequest(email: string): Promise<string> {
  await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }),
  });
  const row = await t.app.ctx.db.selectFrom('registrations').select('id').where('email', '=', email).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return row.id;
}

async function claimedBy(id: string): Promise<string | null> {
  const row = await t.app.ctx.db.selectFrom('registrations').select('claimed_by').where('id', '=', id).executeTakeFirstOrThrow();
  return row.claimed_by;
}

/** A request over a real connection, with exactly the headers given (fetch would add its own). */
async function send(method: string, url: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`${base}${url}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { error: string; message: string }) : null, headers: res.headers };
}

const withCookie = (extra: Record<string, string> = {}) => ({ cookie: `guichet_session=${approver.cookies.guichet_session}`, ...extra });

describe('a state change carried by the session cookie', () => {
  it('from another site\'s page (text/plain, as a form or fetch can send without asking) is refused 403, and nothing changes', async () => {
    const id = await pendingRequest('forge.texte@asso.fr');
    const res = await send('POST', `/api/staff/requests/${id}/claim`, withCookie({ origin: FOREIGN_ORIGIN, 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }), '{}');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'cross_origin', message: CROSS_ORIGIN_MESSAGE });
    expect(await claimedBy(id)).toBeNull();
  });

  it('from another site\'s page, even as JSON and bodiless, is refused 403', async () => {
    const id = await pendingRequest('forge.json@asso.fr');
    expect((await send('POST', `/api/staff/requests/${id}/claim`, withCookie({ origin: FOREIGN_ORIGIN }))).status).toBe(403);
    expect((await send('POST', `/api/staff/requests/${id}/claim`, withCookie({ origin: 'null' }))).status).toBe(403);
    // A sibling site under the same domain is another origin all the same.
    expect((await send('POST', `/api/staff/requests/${id}/claim`, withCookie({ 'sec-fetch-site': 'same-site' }))).status).toBe(403);
    expect(await claimedBy(id)).toBeNull();
  });

  it('without Origin nor Sec-Fetch-Site is refused: nothing says it comes from the Guichet\'s page', async () => {
    const id = await pendingRequest('sans.origine@asso.fr');
    const res = await send('POST', `/api/staff/requests/${id}/claim`, withCookie());
    expect(res.status).toBe(403);
    expect(res.body?.message).toBe(CROSS_ORIGIN_MESSAGE);
    expect(await claimedBy(id)).toBeNull();
  });

  it('from the Guichet\'s own page (Origin of PUBLIC_URL, or Sec-Fetch-Site: same-origin) goes through', async () => {
    const first = await pendingRequest('meme.origine@asso.fr');
    expect((await send('POST', `/api/staff/requests/${first}/claim`, withCookie({ origin: OWN_ORIGIN }))).status).toBe(200);
    expect(await claimedBy(first)).toBe(approver.id);
    // The page reached under another address than PUBLIC_URL (a development server, a relay): the browser vouches for it.
    const second = await pendingRequest('meme.site@asso.fr');
    expect((await send('POST', `/api/staff/requests/${second}/claim`, withCookie({ origin: 'http://localhost:5173', 'sec-fetch-site': 'same-origin' }))).status).toBe(200);
    expect(await claimedBy(second)).toBe(approver.id);
    // A desk on the local network, browsed by its own address while PUBLIC_URL names another (plain http: no Sec-Fetch-Site).
    const third = await pendingRequest('reseau.local@asso.fr');
    const lan = await t.app.inject({
      method: 'POST',
      url: `/api/staff/requests/${third}/claim`,
      cookies: approver.cookies,
      headers: { host: '192.168.1.10:4780', origin: 'http://192.168.1.10:4780' },
    });
    expect(lan.statusCode).toBe(200);
    expect(await claimedBy(third)).toBe(approver.id);
    const elsewhere = await t.app.inject({ method: 'POST', url: `/api/staff/requests/${third}/claim`, cookies: approver.cookies, headers: { host: '192.168.1.10:4780', origin: 'http://192.168.1.11:4780' } });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('reads only JSON: text/plain from the Guichet\'s own page is answered 415 in French', async () => {
    const id = await pendingRequest('texte.brut@asso.fr');
    const res = await send('POST', `/api/staff/requests/${id}/claim`, withCookie({ origin: OWN_ORIGIN, 'content-type': 'text/plain' }), '{}');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'unsupported_media_type', message: "Le format de la requête n'est pas pris en charge : envoyez du JSON." });
    const form = await send('POST', '/api/session', { origin: OWN_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, 'email=a%40b.fr&password=x');
    expect(form.status).toBe(415);
    expect(await claimedBy(id)).toBeNull();
  });

  it('signing out from another site\'s page is refused as well: the session lives on', async () => {
    expect((await send('DELETE', '/api/session', withCookie({ origin: FOREIGN_ORIGIN }))).status).toBe(403);
    expect((await send('GET', '/api/session', withCookie())).status).toBe(200);
  });
});

describe('what no browser sends on its own', () => {
  it('a bearer token (the desktop app) needs no Origin', async () => {
    const id = await pendingRequest('porteur@asso.fr');
    const res = await send('POST', `/api/staff/requests/${id}/claim`, { authorization: `Bearer ${approver.cookies.guichet_session}` });
    expect(res.status).toBe(200);
    expect(await claimedBy(id)).toBe(approver.id);
  });

  it('a kiosk\'s key needs no Origin', async () => {
    const admin = await personWithRole(t.app, 'admin', 'csrf-admin');
    const enrolled = await t.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: admin.cookies, headers: { origin: OWN_ORIGIN }, payload: { name: 'Borne CSRF' } });
    const { key } = enrolled.json() as { key: string };
    const res = await send('POST', '/api/kiosk/registrations', { 'content-type': 'application/json', 'x-guichet-kiosk-key': key }, '{}');
    expect(res.status).toBe(400);
    expect(res.body?.error).toBe('validation_failed');
  });

  it('an anonymous registration needs no Origin: it carries no one\'s credentials', async () => {
    const body = JSON.stringify(validRegistration({ email: 'anonyme@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }));
    const res = await send('POST', '/api/registrations', { 'content-type': 'application/json', origin: FOREIGN_ORIGIN }, body);
    expect(res.status).toBe(202);
  });
});

describe('signing in (login CSRF: another site would sign the browser into its own account)', () => {
  const credentials = () => JSON.stringify({ email: approver.email, password: STAFF_PASSWORD });

  it('from another site\'s page, or from nowhere said, is refused 403 and sets no cookie', async () => {
    const attempts: Record<string, string>[] = [{ origin: FOREIGN_ORIGIN }, { 'sec-fetch-site': 'cross-site' }, {}];
    for (const headers of attempts) {
      const res = await send('POST', '/api/session', { 'content-type': 'application/json', ...headers }, credentials());
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('from the Guichet\'s page, or from the desktop app asking for a bearer token, signs in', async () => {
    expect((await send('POST', '/api/session', { 'content-type': 'application/json', origin: OWN_ORIGIN }, credentials())).status).toBe(200);
    const desktop = await send('POST', '/api/session', { 'content-type': 'application/json', 'x-guichet-session-transport': 'bearer' }, credentials());
    expect(desktop.status).toBe(200);
    expect(desktop.body).toHaveProperty('token');
  });
});
