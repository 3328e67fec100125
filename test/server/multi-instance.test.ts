import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpSink } from '../support/smtp-sink.js';
import { personWithRole } from '../support/staff.js';
import { addUntrustedOrganisation, startCluster, UNTRUSTED_ORGANISATION, validRegistration, type Cluster } from '../support/test-app.js';

let cluster: Cluster | null = null;
const sink = new SmtpSink();
afterEach(async () => {
  await cluster?.close();
  cluster = null;
  await sink.stop();
  sink.received.length = 0;
  sink.port = 0;
});

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

async function captcha(url: string): Promise<string> {
  return (await call(url, 'POST', '/api/captcha')).body.id as string;
}

describe('two service instances on one database', () => {
  it('deliver every email exactly once while requests arrive at both', async () => {
    await sink.start();
    cluster = await startCluster(2, { SMTP_URL: sink.url, RATE_LIMIT_PER_MINUTE: '100000' });
    const [a, b] = cluster.urls as [string, string];
    const emails = Array.from({ length: 30 }, (_, i) => `personne${i}@saint-etienne.fr`);
    const answers = await Promise.all(
      emails.map(async (email, i) => {
        const url = i % 2 === 0 ? a : b;
        return call(url, 'POST', '/api/registrations', validRegistration({ email, captchaId: await captcha(url) }));
      }),
    );
    expect(answers.map((r) => r.status)).toEqual(emails.map(() => 202));
    const deadline = Date.now() + 15_000;
    while (sink.received.length < emails.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual([...emails].sort());
  });

  it('store one request when the same email arrives at both at once, and tell the owner about the other', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000' });
    const [a, b] = cluster.urls as [string, string];
    await addUntrustedOrganisation(cluster.apps[0]!);
    for (let round = 0; round < 5; round++) {
      const email = `double${round}@asso.fr`;
      const [idA, idB] = await Promise.all([captcha(a), captcha(b)]);
      const [ra, rb] = await Promise.all([
        call(a, 'POST', '/api/registrations', validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: idA })),
        call(b, 'POST', '/api/registrations', validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: idB })),
      ]);
      expect([ra.status, rb.status]).toEqual([202, 202]);
      expect(ra.body).toEqual(rb.body);
    }
    const rows = await cluster.apps[0]!.ctx.db.selectFrom('registrations').select('email').execute();
    expect(rows).toHaveLength(5);
  });

  it('spend a captcha once, whichever instance gets the answer', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000' });
    const [a, b] = cluster.urls as [string, string];
    const id = await captcha(a);
    const [ra, rb] = await Promise.all([
      call(a, 'POST', '/api/registrations', validRegistration({ email: 'un@saint-etienne.fr', captchaId: id })),
      call(b, 'POST', '/api/registrations', validRegistration({ email: 'deux@saint-etienne.fr', captchaId: id })),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([202, 400]);
  });

  it('apply one idempotency key across instances: a replay creates nothing', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000' });
    const [a, b] = cluster.urls as [string, string];
    const key = randomUUID();
    const [idA, idB] = await Promise.all([captcha(a), captcha(b)]);
    const [ra, rb] = await Promise.all([
      call(a, 'POST', '/api/registrations', validRegistration({ email: 'rejeu@saint-etienne.fr', captchaId: idA }), { 'idempotency-key': key }),
      call(b, 'POST', '/api/registrations', validRegistration({ email: 'rejeu@saint-etienne.fr', captchaId: idB }), { 'idempotency-key': key }),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    expect(ra.body).toEqual(rb.body);
    const rows = await cluster.apps[0]!.ctx.db.selectFrom('registrations').select('id').execute();
    expect(rows).toHaveLength(1);
    const audit = await cluster.apps[0]!.ctx.db.selectFrom('audit_events').select('action').where('action', '=', 'duplicate_request_notified').execute();
    expect(audit.length).toBeLessThanOrEqual(1);
  });

  it('share rate-limit counters', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '3' });
    const [a, b] = cluster.urls as [string, string];
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(i % 2 === 0 ? a : b, 'POST', '/api/registrations', {})).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it("share the directory's per-client limit: a burst of searches at both lets no more than the limit through", async () => {
    // 40 a minute: each instance takes hits from the shared counter four at a time.
    cluster = await startCluster(2, { DIRECTORY_RATE_LIMIT_PER_MINUTE: '40' });
    const [a, b] = cluster.urls as [string, string];
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 2 === 0 ? a : b, 'GET', '/api/directory/search?q=saint').then((r) => r.status)));
    const served = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(served).toBeLessThanOrEqual(40);
    // A block one instance took and did not use is lost to this client, no more.
    expect(served).toBeGreaterThanOrEqual(37);
  });

  it('share sessions and claims', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000' });
    const [a, b] = cluster.urls as [string, string];

    const alice = await personWithRole(cluster.apps[0]!, 'approver', 'alice');
    const bob = await personWithRole(cluster.apps[0]!, 'approver', 'bob');
    // As the Guichet's page sends them: with its Origin.
    const cookie = (p: { cookies: { guichet_session: string } }) => ({ cookie: `guichet_session=${p.cookies.guichet_session}`, origin: 'http://guichet.test' });
    expect((await call(b, 'GET', '/api/session', undefined, cookie(alice))).status).toBe(200);

    await addUntrustedOrganisation(cluster.apps[0]!);
    await call(a, 'POST', '/api/registrations', validRegistration({ email: 'file@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await captcha(a) }));
    const { id } = await cluster.apps[0]!.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow();
    const [claimA, claimB] = await Promise.all([
      call(a, 'POST', `/api/staff/requests/${id}/claim`, undefined, cookie(alice)),
      call(b, 'POST', `/api/staff/requests/${id}/claim`, undefined, cookie(bob)),
    ]);
    expect([claimA.status, claimB.status].sort()).toEqual([200, 409]);

    expect((await call(a, 'DELETE', '/api/session', undefined, cookie(alice))).status).toBe(204);
    expect((await call(b, 'GET', '/api/session', undefined, cookie(alice))).status).toBe(401);
  });
});
