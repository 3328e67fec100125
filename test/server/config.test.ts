import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readSetting, SETTINGS, trustProxyWarning } from '../../server/config.js';

describe('configuration from the environment', () => {
  it('runs on embedded defaults: port 4780, SQLite and mail drop under ./data', () => {
    const config = loadConfig({}, '/srv/guichet');
    expect(config).toMatchObject({
      port: 4780,
      dataDir: '/srv/guichet/data',
      databaseUrl: path.join('/srv/guichet/data', 'guichet.sqlite'),
      mailDropDir: '/srv/guichet/data/mail',
      publicUrl: 'http://localhost:4780',
      smtpUrl: null,
      tokenTtlHours: 72,
    });
  });

  it('honours PORT, DATA_DIR, PUBLIC_URL, SMTP_URL and DATABASE_URL', () => {
    const config = loadConfig(
      { PORT: '8080', DATA_DIR: '/var/lib/guichet', PUBLIC_URL: 'https://guichet.anru.fr/', SMTP_URL: 'smtp://mail:25', DATABASE_URL: 'postgres://u@db/guichet' },
      '/',
    );
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/guichet',
      publicUrl: 'https://guichet.anru.fr',
      smtpUrl: 'smtp://mail:25',
      databaseUrl: 'postgres://u@db/guichet',
    });
  });

  it('trusts no proxy by default, and the addresses, networks or hop count that TRUST_PROXY gives', () => {
    expect(loadConfig({}, '/').trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }, '/').trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(loadConfig({ TRUST_PROXY: '2' }, '/').trustProxy).toBe(2);
  });

  it('warns, in French, of a bare hop count in TRUST_PROXY, and not of addresses', () => {
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '1' }, '/'))).toMatch(/^TRUST_PROXY donne un nombre de relais \(1\) .*Donnez plutôt les adresses des relais/);
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '127.0.0.1' }, '/'))).toBeNull();
    expect(trustProxyWarning(loadConfig({}, '/'))).toBeNull();
  });

  it('keeps personal data 12 months after a rejection, 6 months past an unused invitation, 30 days for throttles, 90 days for sent mail, 12 months in the audit, unless told otherwise', () => {
    expect(loadConfig({}, '/').retention).toEqual({ rejectedRequestsDays: 365, unactivatedAccountsDays: 180, signInThrottleDays: 30, sentMailDays: 90, auditDays: 365 });
    const env = {
      RETENTION_REJECTED_REQUESTS_DAYS: '730',
      RETENTION_UNACTIVATED_ACCOUNTS_DAYS: '90',
      RETENTION_SIGN_IN_THROTTLE_DAYS: '7',
      RETENTION_SENT_MAIL_DAYS: '30',
      RETENTION_AUDIT_DAYS: '1095',
    };
    expect(loadConfig(env, '/').retention).toEqual({ rejectedRequestsDays: 730, unactivatedAccountsDays: 90, signInThrottleDays: 7, sentMailDays: 30, auditDays: 1095 });
    expect(() => loadConfig({ RETENTION_AUDIT_DAYS: '0' }, '/')).toThrow(/RETENTION_AUDIT_DAYS doit être un entier entre 1 et 3650/);
  });

  it('trusts by verified email domain unless TRUST_BY_ORGANISATION_ONLY says otherwise', () => {
    expect(loadConfig({}, '/').trustByOrganisationOnly).toBe(false);
    expect(loadConfig({ TRUST_BY_ORGANISATION_ONLY: 'true' }, '/').trustByOrganisationOnly).toBe(true);
    expect(loadConfig({ TRUST_BY_ORGANISATION_ONLY: 'false' }, '/').trustByOrganisationOnly).toBe(false);
  });

  it('lets a client search the directory four times as often as it may register, unless DIRECTORY_RATE_LIMIT_PER_MINUTE says otherwise', () => {
    expect(loadConfig({}, '/').directoryRateLimitPerMinute).toBe(120);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '10' }, '/').directoryRateLimitPerMinute).toBe(40);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '10', DIRECTORY_RATE_LIMIT_PER_MINUTE: '600' }, '/').directoryRateLimitPerMinute).toBe(600);
    expect(() => loadConfig({ DIRECTORY_RATE_LIMIT_PER_MINUTE: '0' }, '/')).toThrow(/DIRECTORY_RATE_LIMIT_PER_MINUTE doit être un entier/);
  });

  it('cuts slow requests after 30 s and silent connections after 60 s, and keeps idle connections 72 s, unless told otherwise', () => {
    expect(loadConfig({}, '/')).toMatchObject({ requestTimeoutMs: 30_000, connectionTimeoutMs: 60_000, keepAliveTimeoutMs: 72_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '10000', CONNECTION_TIMEOUT_MS: '20000', KEEP_ALIVE_TIMEOUT_MS: '65000' }, '/')).toMatchObject({
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 20_000,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it('ends idle sessions after 30 minutes for staff and 2 hours for partners, and reset links after 60 minutes, unless told otherwise', () => {
    expect(loadConfig({}, '/')).toMatchObject({ staffIdleTimeoutMinutes: 30, idleTimeoutMinutes: 120, resetTokenTtlMinutes: 60, tokenTtlHours: 72 });
    expect(loadConfig({ STAFF_IDLE_TIMEOUT_MINUTES: '15', IDLE_TIMEOUT_MINUTES: '60', RESET_TOKEN_TTL_MINUTES: '30' }, '/')).toMatchObject({
      staffIdleTimeoutMinutes: 15,
      idleTimeoutMinutes: 60,
      resetTokenTtlMinutes: 30,
    });
    expect(() => loadConfig({ STAFF_IDLE_TIMEOUT_MINUTES: '1' }, '/')).toThrow(/STAFF_IDLE_TIMEOUT_MINUTES doit être un entier entre 2 et 1440/);
    expect(() => loadConfig({ IDLE_TIMEOUT_MINUTES: 'jamais' }, '/')).toThrow(/IDLE_TIMEOUT_MINUTES doit être un entier/);
    expect(() => loadConfig({ RESET_TOKEN_TTL_MINUTES: '0' }, '/')).toThrow(/RESET_TOKEN_TTL_MINUTES doit être un entier entre 5 et 1440/);
  });

  it.each([
    [{ REQUEST_TIMEOUT_MS: '0' }, /REQUEST_TIMEOUT_MS doit être un entier entre 100 et 600000/],
    [{ CONNECTION_TIMEOUT_MS: 'off' }, /CONNECTION_TIMEOUT_MS doit être un entier/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '-1' }, /KEEP_ALIVE_TIMEOUT_MS doit être un entier/],
    [{ PORT: 'abc' }, /PORT doit être un entier/],
    [{ PORT: '70000' }, /PORT doit être un entier entre 0 et 65535/],
    [{ PUBLIC_URL: 'guichet.anru.fr' }, /PUBLIC_URL n'est pas une URL valide/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL doit commencer par smtp:\/\/ ou smtps:\/\//],
    [{ TOKEN_TTL_HOURS: '0' }, /TOKEN_TTL_HOURS/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY doit donner les adresses des relais inverses.*« yes » n'est ni une adresse IP ni un réseau/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /« 10\.0\.0\.0\/33 » n'est ni une adresse IP ni un réseau/],
    [{ TRUST_PROXY: '0' }, /TRUST_PROXY/],
    [{ TRUST_BY_ORGANISATION_ONLY: 'oui' }, /TRUST_BY_ORGANISATION_ONLY doit valoir « true » ou « false » \(reçu : « oui »\)/],
  ])('refuses %o with a French message', (env, message) => {
    expect(() => loadConfig(env, '/')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/')).toThrow(message);
  });
});

describe('the settings the service checks, and the README tells', () => {
  it.each([
    [{ HOST: 'un hôte' }, /HOST doit être une adresse IP \(ex\. « 0\.0\.0\.0 »\) ou un nom d'hôte \(reçu : « un hôte »\)/],
    [{ HOST: '-guichet' }, /HOST doit être une adresse IP/],
    [{ MAIL_FROM: 'ANRU' }, /MAIL_FROM doit être une adresse e-mail, seule ou précédée d'un nom/],
    [{ MAIL_FROM: 'ANRU <ne-pas-repondre>' }, /MAIL_FROM doit être une adresse e-mail/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL doit valoir « debug », « info », « warn », « error » \(reçu : « verbose »\)/],
    [{ MAIL_POLL_MS: '10' }, /MAIL_POLL_MS doit être un entier entre 50 et 600000/],
    [{ DB_BUSY_TIMEOUT_MS: '0' }, /DB_BUSY_TIMEOUT_MS doit être un entier entre 1 et 600000/],
  ])('refuses %o with a French message', (env, message) => {
    expect(() => loadConfig(env, '/')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/')).toThrow(message);
  });

  it('takes a host name or an IP address to listen on, a sender with or without a name, and a log level', () => {
    expect(loadConfig({ HOST: '::', MAIL_FROM: 'guichet@anru.fr', LOG_LEVEL: 'warn' }, '/')).toMatchObject({ host: '::', mailFrom: 'guichet@anru.fr', logLevel: 'warn' });
    expect(loadConfig({ HOST: 'guichet.anru.fr', MAIL_FROM: '"ANRU – Guichet" <guichet@anru.fr>' }, '/')).toMatchObject({
      host: 'guichet.anru.fr',
      mailFrom: '"ANRU – Guichet" <guichet@anru.fr>',
    });
  });

  it('serves the built web UI from out/renderer, another folder, or none when WEB_ROOT is empty', () => {
    expect(loadConfig({}, '/srv/guichet').webRoot).toBe('/srv/guichet/out/renderer');
    expect(loadConfig({ WEB_ROOT: '/var/www/guichet' }, '/srv/guichet').webRoot).toBe('/var/www/guichet');
    expect(loadConfig({ WEB_ROOT: '' }, '/srv/guichet').webRoot).toBeNull();
  });

  it("reads one setting for a script with the service's own check", () => {
    expect(readSetting('DB_BUSY_TIMEOUT_MS', {})).toBe(5000);
    expect(readSetting('DB_BUSY_TIMEOUT_MS', { DB_BUSY_TIMEOUT_MS: '250' })).toBe(250);
    expect(() => readSetting('DB_BUSY_TIMEOUT_MS', { DB_BUSY_TIMEOUT_MS: 'long' })).toThrow(/DB_BUSY_TIMEOUT_MS doit être un entier/);
  });

  it("the README's settings table lists every setting, and only them, each with its default", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Settings ('), readme.indexOf('\n## ', readme.indexOf('## Settings (') + 1));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (.+?) \| .+ \|$/gm)].map(([, name, documented]) => [name, documented]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(SETTINGS).map(([name, setting]) => [name, setting.documented])));
  });
});
