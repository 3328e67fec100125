import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';

// Shared by the property-based tests of every endpoint: what a hostile or
// clumsy client sends, and what the service must answer.

/** Runs per property: enough to hit every kind of input several times, few enough to keep the suite quick. */
export const RUNS = 120;

// English words a framework or a driver would put in an error message.
const ENGLISH = /\b(the|must|should|required|expected|invalid|unexpected|cannot|undefined|null|NaN|error|body|object|string|number|property|field|value)\b/i;
// Words found in every French message of the service.
const FRENCH = /\b(le|la|les|l|de|des|du|un|une|doit|est|ne|n|pas|ce|cette|votre|vous|ou|et|à|au|aux|en|dans|sur|trop|moins|plus|réessayez|saisissez|champ|paramètre|corps|requête|inconnu|inconnue|obligatoire)\b/i;

export function isFrench(message: string): boolean {
  // A field's technical name is quoted « like.this » in the messages: it is not prose.
  const prose = message.replace(/«[^»]*»/g, '');
  return prose.trim().length > 0 && FRENCH.test(prose) && !ENGLISH.test(prose);
}

/** A refusal as the service owes it: a 4xx in its error shape, with French words only. Returns what is wrong, or null. */
export function refusalProblem(res: LightMyRequestResponse): string | null {
  if (res.statusCode < 400 || res.statusCode >= 500) return `status ${res.statusCode}: ${res.body.slice(0, 300)}`;
  let body: { error?: unknown; message?: unknown; fields?: unknown };
  try {
    body = res.json();
  } catch {
    return `status ${res.statusCode} without a JSON body: ${res.body.slice(0, 200)}`;
  }
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return `not the error shape: ${res.body.slice(0, 300)}`;
  if (!isFrench(body.message)) return `message not in French: ${body.message}`;
  const allowed = new Set(['error', 'message', 'fields']);
  if (Object.keys(body).some((k) => !allowed.has(k))) return `extra keys in the error: ${res.body.slice(0, 300)}`;
  if (body.fields !== undefined) {
    if (typeof body.fields !== 'object' || body.fields === null) return `fields is not an object: ${res.body.slice(0, 300)}`;
    for (const [field, message] of Object.entries(body.fields)) {
      if (typeof message !== 'string' || !isFrench(message)) return `field ${field}: message not in French: ${String(message)}`;
    }
  }
  return null;
}

export function expectRefusal(res: LightMyRequestResponse): void {
  expect(refusalProblem(res)).toBeNull();
}

const COUNTED = ['registrations', 'accounts', 'tokens', 'sessions', 'outbox', 'audit_events', 'trust_rules', 'rejection_reasons'] as const;
export type StoredCounts = Record<(typeof COUNTED)[number], number>;

/** How many rows each table that a request could write holds: one query, cheap enough for every run. */
export async function storedCounts(app: FastifyInstance): Promise<StoredCounts> {
  const columns = COUNTED.map((table) => sql`(select count(*) from ${sql.table(table)}) as ${sql.ref(table)}`);
  const { rows } = await sql<Record<string, number | string>>`select ${sql.join(columns)}`.execute(app.ctx.db);
  return Object.fromEntries(COUNTED.map((table) => [table, Number(rows[0]![table])])) as StoredCounts;
}

// --- what hostile clients send -------------------------------------------

export const SQL_PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE registrations; --",
  "Robert'); DELETE FROM accounts; --",
  '" OR ""="',
  "1; SELECT pg_sleep(5)",
  "admin'--",
  '%_%',
  "\\'; --",
  "x' UNION SELECT password_hash FROM accounts --",
];

export const HTML_PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
  '<iframe src="https://example.org"></iframe>',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '<b onmouseover=alert(1)>survol</b>',
];

export const CONTROL_CHARACTERS = ['\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u200b', '\u200e', '\u202e', '\u2028', '\ufeff'];

export const UNICODE_TEXTS = [
  'Zoë Ætherington',
  'Élodie 🏳️‍🌈 Dupont',
  '👩🏽‍💼👨‍👩‍👧‍👦',
  'مرحبا بالعالم',
  'שלום עולם',
  '\u202eevil\u202c',
  'Ǆemal Ĳsbrand',
  'e\u0301e\u0301e\u0301',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\ud800',
];

/** Text as a hostile client might send it in any string field. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_PAYLOADS, ...HTML_PAYLOADS, ...UNICODE_TEXTS),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...CONTROL_CHARACTERS), fc.string({ maxLength: 20 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.integer({ min: 200, max: 70_000 }).map((n) => 'A'.repeat(n)),
);

/** A value of the wrong type for a field that wants a string, a boolean or a number. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constant({ $gt: '' }),
  fc.constant(JSON.parse('{"__proto__": {"admin": true}}') as unknown),
);

/** Bodies that are not JSON objects at all, or not JSON. */
export const malformedBody: fc.Arbitrary<{ payload: string; contentType: string }> = fc.oneof(
  fc.string({ maxLength: 80 }).map((payload) => ({ payload, contentType: 'application/json' })),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ payload: JSON.stringify(v).slice(0, -1), contentType: 'application/json' })),
  fc.constantFrom(
    { payload: '{"__proto__": {"isAdmin": true}}', contentType: 'application/json' },
    { payload: '{"constructor": {"prototype": {"isAdmin": true}}}', contentType: 'application/json' },
    { payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' },
    { payload: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, contentType: 'application/json' },
    { payload: `{"email": "${'x'.repeat(70 * 1024)}@example.fr"}`, contentType: 'application/json' },
    { payload: 'email=a%40b.fr&password=x', contentType: 'application/x-www-form-urlencoded' },
    { payload: '<xml><email>a@b.fr</email></xml>', contentType: 'application/xml' },
    { payload: '{"email": "a@b.fr"}', contentType: 'text/plain' },
    { payload: '{"email": "a@b.fr"}', contentType: 'multipart/form-data; boundary=x' },
  ),
);

/** Every path to a leaf of a JSON object, e.g. ["identity", "lastName"]. */
export function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as Record<string, unknown>, [...prefix, key]) : [[...prefix, key]],
  );
}

/** Every path to an object inside a body (the body itself included), where an unknown key can be slipped in. */
export function objectPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return [
    prefix,
    ...Object.entries(value).flatMap(([key, v]) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? objectPaths(v as Record<string, unknown>, [...prefix, key]) : [],
    ),
  ];
}

/** A deep copy of `body` with the value at `path` replaced (or removed, with `remove`). */
export function withValue(body: Record<string, unknown>, path: string[], value: unknown, remove = false): Record<string, unknown> {
  const copy = structuredClone(body);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete target[last];
  else target[last] = value;
  return copy;
}

/** What a body with one thing wrong looks like, on a valid body. */
export type Mutation =
  | { kind: 'missing'; path: string[] }
  | { kind: 'wrong type'; path: string[]; value: unknown }
  | { kind: 'extra field'; path: string[]; key: string; value: unknown }
  | { kind: 'too long'; path: string[]; value: string }
  | { kind: 'control character'; path: string[]; value: string };

export function applyMutation(body: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  switch (mutation.kind) {
    case 'missing':
      return withValue(body, mutation.path, undefined, true);
    case 'extra field':
      return withValue(body, [...mutation.path, mutation.key], mutation.value);
    default:
      return withValue(body, mutation.path, mutation.value);
  }
}

export interface MutationPlan {
  /** Fields a request cannot do without (not those with a default). */
  required: string[][];
  /** String fields, with the longest value each accepts. */
  strings: [path: string[], maxLength: number][];
  /** String fields where a control character is refused (free comments accept line breaks). */
  printable: string[][];
}

/** The wizard's fields as both registration routes take them, the applicant's and the agent's (the captcha aside). */
export const REGISTRATION_PLAN: MutationPlan = {
  required: [
    ['identity'],
    ['identity', 'civility'],
    ['identity', 'lastName'],
    ['identity', 'firstName'],
    ['identity', 'jobTitle'],
    ['organisation'],
    ['organisation', 'siren'],
    ['contact'],
    ['contact', 'email'],
    ['contact', 'phone'],
    ['confirm'],
    ['confirm', 'termsAccepted'],
  ],
  strings: [
    [['identity', 'lastName'], 80],
    [['identity', 'firstName'], 80],
    [['identity', 'jobTitle'], 120],
    [['organisation', 'siren'], 9],
    [['contact', 'email'], 254],
    [['contact', 'phone'], 30],
  ],
  printable: [
    ['identity', 'lastName'],
    ['identity', 'firstName'],
    ['identity', 'jobTitle'],
    ['contact', 'email'],
    ['contact', 'phone'],
  ],
};

/** A plan for a body with more fields than another's. */
export function withFields(plan: MutationPlan, more: MutationPlan): MutationPlan {
  return { required: [...plan.required, ...more.required], strings: [...plan.strings, ...more.strings], printable: [...plan.printable, ...more.printable] };
}

/** One invalid change to a valid body: each is refused by construction, whatever the values drawn. */
export function mutations(body: Record<string, unknown>, plan: MutationPlan): fc.Arbitrary<Mutation> {
  const leaves = leafPaths(body);
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({
      kind: fc.constant('wrong type' as const),
      path: fc.constantFrom(...leaves),
      value: wrongType,
    }),
    fc.record({
      kind: fc.constant('extra field' as const),
      path: fc.constantFrom(...objectPaths(body)),
      key: fc.oneof(fc.constantFrom('role', 'status', 'isAdmin', 'id', 'trusted', 'password_hash', 'accountId'), fc.string({ minLength: 1, maxLength: 12 })),
      value: fc.oneof(fc.constant(true), fc.string({ maxLength: 10 }), fc.integer()),
    }),
  ];
  if (plan.required.length > 0) options.push(fc.record({ kind: fc.constant('missing' as const), path: fc.constantFrom(...plan.required) }));
  if (plan.strings.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...plan.strings), fc.integer({ min: 1, max: 5000 }), fc.constantFrom('a', 'é', '🙂', ' x'))
        .map(([[path, max], extra, unit]) => ({ kind: 'too long' as const, path, value: `Abc${unit.repeat(max + extra)}` })),
    );
  }
  if (plan.printable.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...plan.printable), fc.constantFrom(...CONTROL_CHARACTERS))
        .map(([path, c]) => ({ kind: 'control character' as const, path, value: `Valeur${c}suite` })),
    );
  }
  return fc.oneof(...options).filter((m) => m.kind !== 'extra field' || !(m.key in (valueAt(body, m.path) as Record<string, unknown>)));
}

function valueAt(body: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], body);
}

/** A path segment as a client would put it in a URL; a lone surrogate, which has no UTF-8 form, goes as the raw bytes a broken client sends. */
export function pathSegment(text: string): string {
  return [...text].map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
}
