import { createHmac, randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Kysely } from 'kysely';
import type { ProofOfWorkChallenge } from '../../common/api/contracts.js';
import type { Database } from '../db/schema.js';
import type { ServiceErrorCode } from '../../common/api/errors.js';
import { DomainError } from '../shared/domain-error.js';
import { randomToken } from '../shared/secrets.js';
import type { Clock } from '../shared/time.js';

// The accessible alternative to the captcha image (RGAA 1.5): the browser
// derives PBKDF2 keys, counter after counter, until it finds the one whose
// key starts as the challenge says; the service drew that counter, so it
// checks the answer with two HMACs. PBKDF2 runs natively in the browser
// (WebCrypto): a robot's native code is hardly faster than the page, so each
// request costs it the applicant's wait in CPU time.

/** PBKDF2 iterations per counter tried: enough that WebCrypto's per-call overhead is small beside the hashing. */
export const PROOF_OF_WORK_COST = 5000;
const ALGORITHM = 'PBKDF2/SHA-256';
const SECRET_NAME = 'proof_of_work';
const FIELD = 'confirm.proofOfWork';

interface Secrets {
  challenge: string;
  derivedKey: string;
}

// Every instance of a deployment must sign and verify with the same key: the
// first to start stores one, the others read it. Read once per database.
const secretsByDatabase = new WeakMap<Kysely<Database>, Promise<Secrets>>();

async function readSecrets(db: Kysely<Database>, clock: Clock): Promise<Secrets> {
  await db
    .insertInto('service_secrets')
    .values({ name: SECRET_NAME, value: randomToken(), created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const { value } = await db.selectFrom('service_secrets').select('value').where('name', '=', SECRET_NAME).executeTakeFirstOrThrow();
  // One stored key, two uses: signing the challenge, and signing the key that solves it.
  const derive = (purpose: string) => createHmac('sha256', value).update(purpose).digest('hex');
  return { challenge: derive('challenge'), derivedKey: derive('derived-key') };
}

/** The signing keys, created in the database by the first instance to ask. */
export function proofOfWorkSecrets(db: Kysely<Database>, clock: Clock): Promise<Secrets> {
  let secrets = secretsByDatabase.get(db);
  if (!secrets) {
    secrets = readSecrets(db, clock);
    secretsByDatabase.set(db, secrets);
    // A failed read (database away at that moment) is tried again by the next caller.
    secrets.catch(() => secretsByDatabase.delete(db));
  }
  return secrets;
}

export interface ProofOfWorkOptions {
  ttlMinutes: number;
  /** The largest counter drawn; the solver tries between half of it and all of it. */
  maxNumber: number;
}

export async function createProofOfWork(db: Kysely<Database>, clock: Clock, options: ProofOfWorkOptions): Promise<ProofOfWorkChallenge> {
  const secrets = await proofOfWorkSecrets(db, clock);
  // Never below half the work: a lucky draw must not make a request cheap.
  const counter = randomInt(Math.ceil(options.maxNumber / 2), options.maxNumber + 1);
  const challenge = await createChallenge({
    algorithm: ALGORITHM,
    cost: PROOF_OF_WORK_COST,
    counter,
    deriveKey,
    expiresAt: new Date(clock.now().getTime() + options.ttlMinutes * 60_000),
    hmacSignatureSecret: secrets.challenge,
    hmacKeySignatureSecret: secrets.derivedKey,
  });
  return { parameters: challenge.parameters, signature: challenge.signature ?? '' };
}

const AGAIN = 'Une nouvelle vérification est lancée : confirmez de nouveau quand elle est terminée.';
export const PROOF_OF_WORK_EXPIRED = `La vérification automatique a expiré. ${AGAIN}`;
export const PROOF_OF_WORK_USED = `Cette vérification automatique a déjà servi pour une demande. ${AGAIN}`;
export const PROOF_OF_WORK_FORGED = `Cette vérification automatique n'a pas été délivrée par le guichet. ${AGAIN}`;
export const PROOF_OF_WORK_MISMATCH = `Le résultat de la vérification automatique ne correspond pas à la question posée. ${AGAIN}`;

function refusal(code: ServiceErrorCode, message: string): DomainError {
  return new DomainError(code, message, { [FIELD]: message });
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The widget's payload format (base64 of JSON), read without trusting any of it. */
function parsePayload(payload: string): { challenge: Challenge; solution: Solution } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  const challenge = record(record(parsed)?.challenge);
  const parameters = record(challenge?.parameters);
  const solution = record(record(parsed)?.solution);
  if (!challenge || !parameters || !solution) return null;
  if (typeof challenge.signature !== 'string' || typeof parameters.salt !== 'string' || typeof parameters.expiresAt !== 'number') return null;
  return {
    challenge: { parameters: parameters as unknown as Challenge['parameters'], signature: challenge.signature },
    solution: { counter: solution.counter as number, derivedKey: solution.derivedKey as string },
  };
}

/**
 * Spends a solved challenge: once signed by this service and unexpired, a
 * challenge is tried once, right or wrong, on whichever instance; the spent
 * challenge is remembered until it expires.
 */
export async function consumeProofOfWork(db: Kysely<Database>, clock: Clock, payload: string): Promise<void> {
  const parsed = parsePayload(payload);
  if (!parsed) throw refusal('proof_of_work_forged', PROOF_OF_WORK_FORGED);
  const { challenge, solution } = parsed;
  const expiresAtMs = (challenge.parameters.expiresAt ?? 0) * 1000;
  if (expiresAtMs <= clock.now().getTime()) throw refusal('proof_of_work_expired', PROOF_OF_WORK_EXPIRED);
  const secrets = await proofOfWorkSecrets(db, clock);
  const result = await verifySolution({
    challenge,
    solution,
    deriveKey,
    hmacSignatureSecret: secrets.challenge,
    hmacKeySignatureSecret: secrets.derivedKey,
  });
  if (result.expired) throw refusal('proof_of_work_expired', PROOF_OF_WORK_EXPIRED);
  if (result.invalidSignature) throw refusal('proof_of_work_forged', PROOF_OF_WORK_FORGED);
  const spent = await db
    .insertInto('proof_of_work_spent')
    .values({ id: challenge.parameters.salt, expires_at: new Date(expiresAtMs).toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!spent) throw refusal('proof_of_work_used', PROOF_OF_WORK_USED);
  if (!result.verified) throw refusal('proof_of_work_mismatch', PROOF_OF_WORK_MISMATCH);
}
