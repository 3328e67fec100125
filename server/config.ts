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
  /**
   * Requests per minute per client on the routes anyone may call to register,
   * sign in or use a set-password link; captcha images and proofs of work get
   * twice this, new-link requests a third (http/rate-limits.ts and each route).
   */
  rateLimitPerMinute: number;
  /** Directory searches (and look-ups by SIREN) per minute per client: the wizard searches as one types. */
  directoryRateLimitPerMinute: number;
  mailPollMs: number;
  /** How long a write waits for a lock held elsewhere before the request is answered 503. */
  dbBusyTimeoutMs: number;
  logLevel: LogLevel;
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

/**
 * One environment variable: how its text becomes a value, its value when it
 * is unset or empty, and that default in the words of the README's settings
 * table (a test holds the table to this schema).
 */
interface Setting<T> {
  documented: string;
  fallback: T;
  /** Reads a value that is set: throws ConfigError, in French, naming the variable. */
  read(raw: string, name: string, cwd: string): T;
  /** The value of a variable set to the empty string, when that means something of its own. */
  empty?: T;
}

/** A default written as the README's table writes a literal value. */
function byDefault<T extends string | number>(fallback: T): Pick<Setting<T>, 'documented' | 'fallback'> {
  return { documented: `\`${fallback}\``, fallback };
}

function integer(fallback: number, min: number, max: number): Setting<number> {
  return {
    ...byDefault(fallback),
    read: (raw, name) => {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${name} doit être un entier entre ${min} et ${max} (reçu : « ${raw} »).`);
      }
      return value;
    },
  };
}

/** An integer whose default follows from another setting, as `documented` says. */
function derivedInteger(documented: string, min: number, max: number): Setting<number | null> {
  return { ...integer(0, min, max), documented, fallback: null };
}

const flag: Setting<boolean> = {
  documented: '`false`',
  fallback: false,
  read: (raw, name) => {
    const value = raw.trim().toLowerCase();
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '1') return true;
    throw new ConfigError(`${name} doit valoir « true » ou « false » (reçu : « ${raw} »).`);
  },
};

function checkedUrl(name: string, raw: string, protocols: string[]): string {
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

function url(documented: string, protocols: string[]): Setting<string | null> {
  return { documented, fallback: null, read: (raw, name) => checkedUrl(name, raw, protocols) };
}

/** A folder, relative to where the service starts. */
function folder(fallback: string): Setting<string> {
  return { ...byDefault(fallback), read: (raw) => raw };
}

const HOST_LABEL = /^[a-z0-9-]{1,63}$/i;

function isHostName(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => HOST_LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-'));
}

const host: Setting<string> = {
  ...byDefault('127.0.0.1'),
  read: (raw, name) => {
    if (net.isIP(raw) === 0 && !isHostName(raw)) {
      throw new ConfigError(`${name} doit être une adresse IP (ex. « 0.0.0.0 ») ou un nom d'hôte (reçu : « ${raw} »).`);
    }
    return raw;
  },
};

const ADDRESS = /^[^\s@<>]+@[^\s@<>.]+(?:\.[^\s@<>.]+)+$/;
const NAMED_ADDRESS = /^([^<>\r\n]*)<([^<>]*)>$/;

/** The sender of the emails: an address, or a name and an address in angle brackets. */
const mailbox: Setting<string> = {
  ...byDefault('ANRU Partenaires <ne-pas-repondre@anru.fr>'),
  read: (raw, name) => {
    const value = raw.trim();
    const address = NAMED_ADDRESS.exec(value)?.[2] ?? value;
    if (value.length > 320 || !ADDRESS.test(address)) {
      throw new ConfigError(`${name} doit être une adresse e-mail, seule ou précédée d'un nom (ex. « ANRU Partenaires <ne-pas-repondre@anru.fr> ») (reçu : « ${raw} »).`);
    }
    return value;
  },
};

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const logLevel: Setting<LogLevel> = {
  ...byDefault<LogLevel>('info'),
  read: (raw, name) => {
    const value = raw.trim().toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(value)) {
      throw new ConfigError(`${name} doit valoir ${LOG_LEVELS.map((l) => `« ${l} »`).join(', ')} (reçu : « ${raw} »).`);
    }
    return value as LogLevel;
  },
};

const PROXY_HELP =
  "TRUST_PROXY doit donner les adresses des relais inverses devant le service (ex. « 127.0.0.1,10.0.0.0/8 ») ou leur nombre (ex. « 1 »)";

const proxies: Setting<false | number | string[]> = {
  documented: 'none',
  fallback: false,
  read: (raw) => {
    if (raw.trim() === '') return false;
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
  },
};

/** Every setting of the service and of its scripts (npm run admin, db, directory), by environment variable. */
export const SETTINGS = {
  PORT: integer(4780, 0, 65535),
  HOST: host,
  DATA_DIR: folder('./data'),
  PUBLIC_URL: url('`http://localhost:$PORT`', ['http:', 'https:']),
  DATABASE_URL: {
    documented: '`$DATA_DIR/guichet.sqlite`',
    fallback: null,
    read: (raw, name, cwd) => (/^postgres(ql)?:/.test(raw) ? checkedUrl(name, raw, ['postgres:', 'postgresql:']) : path.resolve(cwd, raw)),
  } satisfies Setting<string | null>,
  SMTP_URL: url('—', ['smtp:', 'smtps:']),
  MAIL_FROM: mailbox,
  MAIL_POLL_MS: integer(2000, 50, 600_000),
  WEB_ROOT: { ...folder('out/renderer'), empty: null } satisfies Setting<string | null>,
  TOKEN_TTL_HOURS: integer(72, 1, 24 * 30),
  RESET_TOKEN_TTL_MINUTES: integer(60, 5, 24 * 60),
  CAPTCHA_TTL_MINUTES: integer(10, 1, 120),
  PROOF_OF_WORK_MAX_NUMBER: integer(DEFAULT_PROOF_OF_WORK_MAX_NUMBER, 2, 1_000_000),
  SESSION_TTL_HOURS: integer(8, 1, 24 * 30),
  STAFF_IDLE_TIMEOUT_MINUTES: integer(30, 2, 24 * 60),
  IDLE_TIMEOUT_MINUTES: integer(120, 2, 24 * 60),
  RATE_LIMIT_PER_MINUTE: integer(30, 1, 100_000),
  DIRECTORY_RATE_LIMIT_PER_MINUTE: derivedInteger('4 × `RATE_LIMIT_PER_MINUTE` (`120`)', 1, 1_000_000),
  TRUST_PROXY: proxies,
  DB_BUSY_TIMEOUT_MS: integer(DEFAULT_BUSY_TIMEOUT_MS, 1, 600_000),
  TRUST_BY_ORGANISATION_ONLY: flag,
  REQUEST_TIMEOUT_MS: integer(30_000, 100, 600_000),
  CONNECTION_TIMEOUT_MS: integer(60_000, 100, 600_000),
  KEEP_ALIVE_TIMEOUT_MS: integer(72_000, 100, 600_000),
  RETENTION_REJECTED_REQUESTS_DAYS: integer(365, 1, 3650),
  RETENTION_UNACTIVATED_ACCOUNTS_DAYS: integer(180, 1, 3650),
  RETENTION_SIGN_IN_THROTTLE_DAYS: integer(30, 1, 3650),
  RETENTION_SENT_MAIL_DAYS: integer(90, 1, 3650),
  RETENTION_AUDIT_DAYS: integer(365, 1, 3650),
  LOG_LEVEL: logLevel,
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<N extends SettingName> = (typeof SETTINGS)[N] extends Setting<infer T> ? T : never;

/** One setting, read and checked as the service reads it: for a script that needs no other (npm run db). */
export function readSetting<N extends SettingName>(name: N, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ValueOf<N> {
  const setting: Setting<ValueOf<N>> = SETTINGS[name] as Setting<ValueOf<N>>;
  const raw = env[name];
  if (raw === undefined) return setting.fallback;
  if (raw === '') return 'empty' in setting ? (setting.empty as ValueOf<N>) : setting.fallback;
  return setting.read(raw, name, cwd);
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
  const setting = <N extends SettingName>(name: N): ValueOf<N> => readSetting(name, env, cwd);
  const port = setting('PORT');
  const dataDir = path.resolve(cwd, setting('DATA_DIR'));
  const webRoot = setting('WEB_ROOT');
  const rateLimitPerMinute = setting('RATE_LIMIT_PER_MINUTE');
  return {
    port,
    host: setting('HOST'),
    dataDir,
    publicUrl: (setting('PUBLIC_URL') ?? `http://localhost:${port}`).replace(/(?<!\/)\/+$/, ''),
    databaseUrl: setting('DATABASE_URL') ?? path.join(dataDir, 'guichet.sqlite'),
    smtpUrl: setting('SMTP_URL'),
    mailFrom: setting('MAIL_FROM'),
    mailDropDir: path.join(dataDir, 'mail'),
    tokenTtlHours: setting('TOKEN_TTL_HOURS'),
    captchaTtlMinutes: setting('CAPTCHA_TTL_MINUTES'),
    proofOfWorkMaxNumber: setting('PROOF_OF_WORK_MAX_NUMBER'),
    sessionTtlHours: setting('SESSION_TTL_HOURS'),
    staffIdleTimeoutMinutes: setting('STAFF_IDLE_TIMEOUT_MINUTES'),
    idleTimeoutMinutes: setting('IDLE_TIMEOUT_MINUTES'),
    resetTokenTtlMinutes: setting('RESET_TOKEN_TTL_MINUTES'),
    webRoot: webRoot === null ? null : path.resolve(cwd, webRoot),
    rateLimitPerMinute,
    directoryRateLimitPerMinute: setting('DIRECTORY_RATE_LIMIT_PER_MINUTE') ?? rateLimitPerMinute * 4,
    mailPollMs: setting('MAIL_POLL_MS'),
    dbBusyTimeoutMs: setting('DB_BUSY_TIMEOUT_MS'),
    logLevel: setting('LOG_LEVEL'),
    trustProxy: setting('TRUST_PROXY'),
    trustByOrganisationOnly: setting('TRUST_BY_ORGANISATION_ONLY'),
    requestTimeoutMs: setting('REQUEST_TIMEOUT_MS'),
    connectionTimeoutMs: setting('CONNECTION_TIMEOUT_MS'),
    keepAliveTimeoutMs: setting('KEEP_ALIVE_TIMEOUT_MS'),
    retention: {
      rejectedRequestsDays: setting('RETENTION_REJECTED_REQUESTS_DAYS'),
      unactivatedAccountsDays: setting('RETENTION_UNACTIVATED_ACCOUNTS_DAYS'),
      signInThrottleDays: setting('RETENTION_SIGN_IN_THROTTLE_DAYS'),
      sentMailDays: setting('RETENTION_SENT_MAIL_DAYS'),
      auditDays: setting('RETENTION_AUDIT_DAYS'),
    },
  };
}
