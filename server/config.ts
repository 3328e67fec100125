import net from 'node:net';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  /** A SQLite file path, or a postgres:// URL. */
  databaseUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  mailDropDir: string;
  tokenTtlHours: number;
  captchaTtlMinutes: number;
  /**
   * Work of the proof of work offered instead of the captcha image (ALTCHA's
   * "maxnumber"): the page derives between half of this and this many PBKDF2 keys.
   */
  proofOfWorkMaxNumber: number;
  sessionTtlHours: number;
  /** A staff member's session ends after this long without a request. */
  staffIdleTimeoutMinutes: number;
  /** A partner's session ends after this long without a request. */
  idleTimeoutMinutes: number;
  /** How long a password reset link works (a first invitation's works tokenTtlHours). */
  resetTokenTtlMinutes: number;
  /** Folder of the built web UI; null serves the API alone. */
  webRoot: string | null;
  /** Requests per minute per client on the registration and captcha endpoints. */
  rateLimitPerMinute: number;
  /** Directory searches (and look-ups by SIREN) per minute per client: the wizard searches as one types. */
  directoryRateLimitPerMinute: number;
  mailPollMs: number;
  /** How long a write waits for a lock held elsewhere before the request is answered 503. */
  dbBusyTimeoutMs: number;
  logLevel: string;
  /**
   * The reverse proxies in front of the service, whose X-Forwarded-For is
   * believed: their addresses (or networks), or how many hops; false when
   * clients connect directly. Rate limits count per client address.
   */
  trustProxy: false | number | string[];
  /**
   * The seed's older trust rule: a trusted organisation's applicants skip
   * approval whatever their email's domain. Off by default: anyone can pick
   * a commune in the wizard.
   */
  trustByOrganisationOnly: boolean;
  /** The whole request (head and body) must arrive within this: a client trickling it is cut off with 408. */
  requestTimeoutMs: number;
  /** A connection silent this long, in the middle of a request or an answer, is closed. */
  connectionTimeoutMs: number;
  /** How long an idle kept-alive connection stays open: longer than a reverse proxy's own idle timeout (often 60 s). */
  keepAliveTimeoutMs: number;
  /** How long personal data is kept, per kind, before housekeeping deletes it (or, in the audit trail, blanks it). */
  retention: Retention;
}

/** Days, each counted from the moment the data stopped serving: see the README's "Retention of personal data". */
export interface Retention {
  /** After a request is rejected or cancelled. */
  rejectedRequestsDays: number;
  /** After the last set-password link of an account that never set its password expired. */
  unactivatedAccountsDays: number;
  /** After a client address's last failed sign-in window began. */
  signInThrottleDays: number;
  /** After an email was delivered: its recipient, subject and dates (its body goes at delivery). */
  sentMailDays: number;
  /** After an audit event: then its emails, names, phone numbers, comments and client addresses are blanked. */
  auditDays: number;
}

export class ConfigError extends Error {}

/** SQLite's busy timeout and PostgreSQL's lock timeout unless DB_BUSY_TIMEOUT_MS says otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** About a second of a desk PC's browser; 1.5 s median in headless Chromium on the test VM (see the README). */
export const DEFAULT_PROOF_OF_WORK_MAX_NUMBER = 2500;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} doit être un entier entre ${min} et ${max} (reçu : « ${raw} »).`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} doit valoir « true » ou « false » (reçu : « ${env[name]} »).`);
}

function url(name: string, raw: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} n'est pas une URL valide (reçu : « ${raw} »).`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} doit commencer par ${protocols.map((p) => `${p}//`).join(' ou ')} (reçu : « ${raw} »).`);
  }
  return raw;
}

const PROXY_HELP =
  "TRUST_PROXY doit donner les adresses des relais inverses devant le service (ex. « 127.0.0.1,10.0.0.0/8 ») ou leur nombre (ex. « 1 »)";

function proxies(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw.trim() === '') return false;
  if (/^\d+$/.test(raw.trim())) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError(`${PROXY_HELP} (reçu : « ${raw} »).`);
    return hops;
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = net.isIP(address);
    const validPrefix = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !validPrefix || extra !== undefined) throw new ConfigError(`${PROXY_HELP} : « ${entry} » n'est ni une adresse IP ni un réseau.`);
  }
  return entries;
}

/**
 * The French warning for the start-up log when TRUST_PROXY is a hop count:
 * the service then believes the X-Forwarded-For of any peer, so a client
 * reaching its port directly picks the address its rate limits count.
 */
export function trustProxyWarning({ trustProxy }: Pick<Config, 'trustProxy'>): string | null {
  if (typeof trustProxy !== 'number') return null;
  return (
    `TRUST_PROXY donne un nombre de relais (${trustProxy}) : l'en-tête X-Forwarded-For de n'importe quel client joignant ce port ` +
    "est cru, et il peut ainsi échapper aux limites par poste. Donnez plutôt les adresses des relais (ex. « 127.0.0.1,10.0.0.0/8 »), " +
    'et faites que seul le relais puisse joindre ce port.'
  );
}

/** Reads and checks the service's settings from environment variables; throws ConfigError with a French message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = integer(env, 'PORT', 4780, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(cwd, env.DATA_DIR || 'data');
  const publicUrl = url('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`, ['http:', 'https:']).replace(/(?<!\/)\/+$/, '');
  const databaseUrl = env.DATABASE_URL
    ? /^postgres(ql)?:/.test(env.DATABASE_URL)
      ? url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'])
      : path.resolve(cwd, env.DATABASE_URL)
    : path.join(dataDir, 'guichet.sqlite');
  const smtpUrl = env.SMTP_URL ? url('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']) : null;
  const rateLimitPerMinute = integer(env, 'RATE_LIMIT_PER_MINUTE', 30, 1, 100000);
  return {
    port,
    host,
    dataDir,
    publicUrl,
    databaseUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'ANRU Partenaires <ne-pas-repondre@anru.fr>',
    mailDropDir: path.join(dataDir, 'mail'),
    tokenTtlHours: integer(env, 'TOKEN_TTL_HOURS', 72, 1, 24 * 30),
    captchaTtlMinutes: integer(env, 'CAPTCHA_TTL_MINUTES', 10, 1, 120),
    proofOfWorkMaxNumber: integer(env, 'PROOF_OF_WORK_MAX_NUMBER', DEFAULT_PROOF_OF_WORK_MAX_NUMBER, 2, 1_000_000),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 8, 1, 24 * 30),
    staffIdleTimeoutMinutes: integer(env, 'STAFF_IDLE_TIMEOUT_MINUTES', 30, 2, 24 * 60),
    idleTimeoutMinutes: integer(env, 'IDLE_TIMEOUT_MINUTES', 120, 2, 24 * 60),
    resetTokenTtlMinutes: integer(env, 'RESET_TOKEN_TTL_MINUTES', 60, 5, 24 * 60),
    webRoot: env.WEB_ROOT === '' ? null : path.resolve(cwd, env.WEB_ROOT || 'out/renderer'),
    rateLimitPerMinute,
    directoryRateLimitPerMinute: integer(env, 'DIRECTORY_RATE_LIMIT_PER_MINUTE', rateLimitPerMinute * 4, 1, 1_000_000),
    mailPollMs: integer(env, 'MAIL_POLL_MS', 2000, 50, 600000),
    dbBusyTimeoutMs: integer(env, 'DB_BUSY_TIMEOUT_MS', DEFAULT_BUSY_TIMEOUT_MS, 1, 600000),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: proxies(env.TRUST_PROXY),
    trustByOrganisationOnly: flag(env, 'TRUST_BY_ORGANISATION_ONLY'),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    connectionTimeoutMs: integer(env, 'CONNECTION_TIMEOUT_MS', 60_000, 100, 600_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 600_000),
    retention: {
      rejectedRequestsDays: integer(env, 'RETENTION_REJECTED_REQUESTS_DAYS', 365, 1, 3650),
      unactivatedAccountsDays: integer(env, 'RETENTION_UNACTIVATED_ACCOUNTS_DAYS', 180, 1, 3650),
      signInThrottleDays: integer(env, 'RETENTION_SIGN_IN_THROTTLE_DAYS', 30, 1, 3650),
      sentMailDays: integer(env, 'RETENTION_SENT_MAIL_DAYS', 90, 1, 3650),
      auditDays: integer(env, 'RETENTION_AUDIT_DAYS', 365, 1, 3650),
    },
  };
}
