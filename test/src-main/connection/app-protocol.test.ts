import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY, createAppProtocolHandler } from '../../../src-main/connection/app-protocol.js';
import { CONTENT_SECURITY_POLICY, PAGE_POLICY } from '../../../src-main/security/content-security-policy.js';

let base: string;
let webRoot: string;
const api = vi.fn(async () => new Response('{"status":"ok"}', { status: 200 }));

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-protocol-'));
  webRoot = path.join(base, 'renderer');
  fs.mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Guichet</title>');
  fs.writeFileSync(path.join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'not for the page');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function get(url: string, init?: RequestInit): Promise<Response> {
  return createAppProtocolHandler({ webRoot, api })(new Request(url, init));
}

describe('the guichet:// app protocol', () => {
  it('serves the renderer\'s files with their type and the strict security headers', async () => {
    const page = await get(APP_ENTRY);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Guichet</title>');

    const script = await get('guichet://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('guichet://app/')).status).toBe(200);
  });

  it.each([
    'guichet://app/../secret.txt',
    'guichet://app/%2e%2e/secret.txt',
    'guichet://app/assets%2f..%2f..%2fsecret.txt',
    'guichet://app/assets/..%5c..%5csecret.txt',
    'guichet://app/%00index.html',
    'guichet://app/%E0%A4%A',
    'guichet://app/missing.js',
    'guichet://other/index.html',
  ])('answers 404 to %s, and never with a file outside the renderer', async (url) => {
    const answer = await get(url);
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('not for the page');
  });

  it('only reads: a POST to a page is refused', async () => {
    expect((await get(APP_ENTRY, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('hands /api/… to the service forwarder', async () => {
    const answer = await get('guichet://app/api/health');
    expect(await answer.json()).toEqual({ status: 'ok' });
    expect(api).toHaveBeenCalledOnce();
  });

  it('states the same policy as the renderer\'s own index.html', () => {
    const html = fs.readFileSync(fileURLToPath(new URL('../../../src-renderer/index.html', import.meta.url)), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(PAGE_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${PAGE_POLICY}; frame-ancestors 'none'`);
  });
});
