import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The rules that keep the service readable: domains raise domain errors and
// know nothing of HTTP; the HTTP layer maps codes to statuses and knows no domain;
// the requests' SQL lives in repositories.
const SERVER = path.resolve(import.meta.dirname, '../../server');
const DOMAINS = ['accounts', 'approvals', 'audit', 'captcha', 'directory', 'kiosks', 'mail', 'registrations', 'staff', 'trust'];

function sources(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file));
}

/** The server files a source file imports, as paths relative to server/. */
function serverImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)';/gms)]
    .map((m) => path.relative(SERVER, path.resolve(path.dirname(file), m[1]!)))
    .filter((target) => !target.startsWith('..'));
}

describe('the layers of the service', () => {
  it('no domain file but its routes reaches into server/http/', () => {
    const offending = DOMAINS.flatMap((domain) => sources(path.join(SERVER, domain)))
      .filter((file) => !file.endsWith('.routes.ts'))
      .flatMap((file) => serverImports(file).filter((target) => target.startsWith('http/')).map((target) => `${path.relative(SERVER, file)} → ${target}`));
    expect(offending).toEqual([]);
  });

  it('server/http/ imports no domain', () => {
    const offending = sources(path.join(SERVER, 'http')).flatMap((file) =>
      serverImports(file)
        .filter((target) => DOMAINS.includes(target.split('/')[0]!))
        .map((target) => `${path.relative(SERVER, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('the request services leave their SQL to repositories', () => {
    const services = ['registrations/registrations.service.ts', 'approvals/queue.service.ts', 'approvals/request-detail.service.ts', 'approvals/decisions.service.ts', 'approvals/off-directory.service.ts'];
    const offending = services.filter((file) => /\.(selectFrom|updateTable|insertInto|deleteFrom)\(/.test(fs.readFileSync(path.join(SERVER, file), 'utf8')));
    expect(offending).toEqual([]);
  });
});
