import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/test-database.js';

// The headers every answer carries, whatever its route, status or type:
// API JSON, errors, the web UI's page and its assets.
let web: string;
let http: TestApp;
let https: TestApp;

beforeAll(async () => {
  web = tempDir('guichet-web-');
  fs.mkdirSync(path.join(web, 'assets'));
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><html lang="fr"><title>Guichet</title><script type="module" src="./assets/index-1a2b.js"></script></html>');
  fs.writeFileSync(path.join(web, 'assets', 'index-1a2b.js'), 'console.log("guichet");');
  fs.writeFileSync(path.join(web, 'assets', 'index-1a2b.css'), 'body { margin: 0; }');
  http = await startTestApp({ WEB_ROOT: web, RATE_LIMIT_PER_MINUTE: '2' });
  https = await startTestApp({ WEB_ROOT: web, PUBLIC_URL: 'https://guichet.example.org' });
});
afterAll(async () => {
  await http.close();
  await https.close();
  fs.rmSync(web, { recursive: true, force: true });
});

function directives(res: LightMyRequestResponse): Map<string, string> {
  const csp = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values.join(' ')] as [string, string];
      }),
  );
}

/** What every answer must carry; returns the failures, so one run lists them all. */
function headerProblems(label: string, res: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const csp = directives(res);
  const expectDirective = (name: string, value: string) => {
    if (csp.get(name) !== value) problems.push(`${label}: CSP ${name} is "${csp.get(name) ?? '(absent)'}", expected "${value}"`);
  };
  expectDirective('default-src', "'self'");
  expectDirective('script-src', "'self'");
  expectDirective('script-src-attr', "'none'");
  expectDirective('style-src', "'self'");
  expectDirective('object-src', "'none'");
  expectDirective('frame-ancestors', "'none'");
  expectDirective('base-uri', "'self'");
  expectDirective('form-action', "'self'");
  const expected: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  for (const [name, value] of Object.entries(expected)) {
    if (res.headers[name] !== value) problems.push(`${label}: ${name} is "${String(res.headers[name])}", expected "${value}"`);
  }
  if (res.headers['x-powered-by'] !== undefined) problems.push(`${label}: x-powered-by tells the server software`);
  return problems;
}

describe('security headers', () => {
  it('are on every API route, for every status, and API answers are never cached', async () => {
    const problems: string[] = [];
    for (const route of http.app.routeAccess) {
      const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':siren', '214202186');
      const res = await http.app.inject({ method: route.method as 'GET', url, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      problems.push(...headerProblems(`${route.method} ${route.url} (${res.statusCode})`, res));
      if (res.headers['cache-control'] !== 'no-store') problems.push(`${route.method} ${route.url}: cache-control is "${String(res.headers['cache-control'])}"`);
    }
    expect(problems).toEqual([]);
  });

  it('are on error answers too: unknown address, malformed JSON, rate limit', async () => {
    const answers: [string, LightMyRequestResponse][] = [
      ['404', await http.app.inject({ method: 'GET', url: '/api/rien-ici' })],
      ['bad JSON', await http.app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"email":' })],
    ];
    for (let i = 0; i < 3; i++) answers.push(['rate limited', await http.app.inject({ method: 'POST', url: '/api/session', payload: {}, remoteAddress: '10.4.4.4' })]);
    expect(answers.map(([label, res]) => `${label} ${res.statusCode}`)).toEqual(['404 404', 'bad JSON 400', 'rate limited 400', 'rate limited 400', 'rate limited 429']);
    expect(answers.flatMap(([label, res]) => headerProblems(label, res))).toEqual([]);
  });

  it('are on the web UI: its page (never cached) and its assets', async () => {
    const problems: string[] = [];
    for (const url of ['/', '/index.html', '/assets/index-1a2b.js', '/assets/index-1a2b.css', '/assets/absent.js']) {
      const res = await http.app.inject({ method: 'GET', url });
      problems.push(...headerProblems(`GET ${url} (${res.statusCode})`, res));
    }
    expect(problems).toEqual([]);
    const page = await http.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('ask browsers to stay on https only when the service is published on https', async () => {
    const secure = await https.app.inject({ method: 'GET', url: '/' });
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(directives(secure).has('upgrade-insecure-requests')).toBe(true);

    // On a plain-http desk these would send the page's scripts to an https port nobody listens on.
    const plain = await http.app.inject({ method: 'GET', url: '/' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(directives(plain).has('upgrade-insecure-requests')).toBe(false);
  });
});
