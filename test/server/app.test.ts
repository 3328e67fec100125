import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testDatabaseKind } from '../support/test-database.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('service', () => {
  it('answers its health in JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.any(String), database: testDatabaseKind });
  });

  it('describes its API in an OpenAPI document, with request and response schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/directory/search',
        '/api/captcha',
        '/api/registrations',
        '/api/password',
        '/api/password/token-status',
        '/api/password/new-link',
        '/api/session',
      ]),
    );
    const registration = doc.paths['/api/registrations'].post;
    expect(registration.requestBody.content['application/json'].schema.properties).toHaveProperty('identity');
    expect(registration.responses).toHaveProperty('202');
  });

  it('sends security headers and a strict content security policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers unknown addresses with a French 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/Aucune ressource/);
  });

  it('writes an audit row for each state change of a registration', async () => {
    const { newCaptcha, validRegistration } = await import('../support/test-app.js');
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email: 'audit@saint-etienne.fr', captchaId: await newCaptcha(t.app) }) });
    const actions = (await t.app.ctx.db.selectFrom('audit_events').select('action').orderBy('at').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['submitted', 'approved', 'invited']));
  });
});

describe('web UI serving', () => {
  it('serves the built web UI at / when it exists, with the page never cached', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-web-'));
    const webRoot = path.join(dataDir, 'web');
    fs.mkdirSync(webRoot);
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Guichet</title>');
    const app = await buildApp(loadConfig({ DATA_DIR: dataDir, WEB_ROOT: webRoot }), { logger: false, startMailWorker: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Guichet</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
