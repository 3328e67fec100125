import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CaptchaChallenge } from '../../common/api/contracts.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../shared/domain-error.js';
import { sameSecret } from '../shared/secrets.js';
import { isoAfter, type Clock } from '../shared/time.js';
import { drawCaptcha } from './captcha-image.js';

// Characters people confuse on an image are never drawn: i/l/I/1 and o/O/0
// as the seed says, letters whose capital has the same shape as its small
// letter (c/C, k/K, p/P, s/S, u/U, v/V, w/W, x/X, z/Z: the answer is
// case-sensitive, and warped they differ by size alone), and the digits that
// read as letters once warped (2/Z, 4/A, 5/S, 6/G, 8/B, 9/g/q, q). With the
// full alphabet, one reader read 21 of 40 warped images right at first sight;
// with this one, 7 of 12.
export const CONFUSABLE_CHARACTERS = '0oO1iIlLcCkKpPsSuUvVwWxXzZ245689q';
const LENGTH = 6;
const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz23456789'].filter(
  (c) => !CONFUSABLE_CHARACTERS.includes(c),
);

/** The text a robot must guess comes from the CSPRNG. */
export function randomCaptchaText(): string {
  let text = '';
  for (let i = 0; i < LENGTH; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
}

function hashAnswer(salt: string, answer: string): string {
  return createHash('sha256').update(`${salt}:${answer}`, 'utf8').digest('hex');
}

export interface CaptchaOptions {
  ttlMinutes: number;
  /** Source of the characters to draw; only test harnesses replace it. */
  text: () => string;
}

export async function createChallenge(db: Kysely<Database>, clock: Clock, options: CaptchaOptions): Promise<CaptchaChallenge> {
  const text = options.text();
  const image = `data:image/png;base64,${drawCaptcha(text).toString('base64')}`;
  const id = randomUUID();
  const salt = randomBytes(16).toString('hex');
  const expiresAt = isoAfter(clock, options.ttlMinutes * 60_000);
  await db
    .insertInto('captcha_challenges')
    .values({ id, salt, answer_hash: hashAnswer(salt, text), expires_at: expiresAt, used_at: null })
    .execute();
  return { id, image, expiresAt };
}

export const CAPTCHA_MISMATCH =
  'Les caractères saisis ne correspondent pas à l\'image (attention aux majuscules et minuscules). Une nouvelle image vous est proposée.';
export const CAPTCHA_EXPIRED = 'L\'image de sécurité a expiré ou a déjà servi. Une nouvelle image vous est proposée.';

/**
 * Spends a challenge, right or wrong: an answer is tried once, so a robot
 * cannot iterate on one image. Case matters, as the seed says.
 */
export async function consumeChallenge(db: Kysely<Database>, clock: Clock, id: string, answer: string): Promise<void> {
  const now = clock.now().toISOString();
  const challenge = await db
    .updateTable('captcha_challenges')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['salt', 'answer_hash'])
    .executeTakeFirst();
  if (!challenge) {
    throw new DomainError('captcha_expired', CAPTCHA_EXPIRED, { 'confirm.captchaAnswer': CAPTCHA_EXPIRED });
  }
  if (!sameSecret(hashAnswer(challenge.salt, answer.trim()), challenge.answer_hash)) {
    throw new DomainError('captcha_mismatch', CAPTCHA_MISMATCH, { 'confirm.captchaAnswer': CAPTCHA_MISMATCH });
  }
}
