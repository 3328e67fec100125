import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, TokenPurpose } from '../db/schema.js';
import { DomainError } from '../shared/domain-error.js';
import { hashToken, randomToken } from '../shared/secrets.js';
import { isoAfter, type Clock } from '../shared/time.js';

type Db = Kysely<Database>;

/** Both kinds of link lead to the set-password page; only their lifetimes and emails differ. */
export const PASSWORD_LINKS: readonly TokenPurpose[] = ['set_password', 'reset_password'];

/** Creates a single-use link token; only its hash is stored. Returns the token to put in the link. */
export async function issueToken(db: Db, clock: Clock, accountId: string, purpose: TokenPurpose, ttlMs: number): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('tokens')
    .values({
      id: randomUUID(),
      account_id: accountId,
      purpose,
      token_hash: hashToken(token),
      created_at: clock.now().toISOString(),
      expires_at: isoAfter(clock, ttlMs),
      used_at: null,
      superseded_at: null,
    })
    .execute();
  return token;
}

/** Retires the account's unused links of these purposes: only the newest email's link works. */
export async function supersedeTokens(db: Db, clock: Clock, accountId: string, purposes: readonly TokenPurpose[]): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ superseded_at: clock.now().toISOString() })
    .where('account_id', '=', accountId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .execute();
}

/** Whether the account has a link of these purposes, still usable, issued less than `withinMs` ago. */
export async function hasRecentToken(db: Db, clock: Clock, accountId: string, purposes: readonly TokenPurpose[], withinMs: number): Promise<boolean> {
  const now = clock.now();
  const row = await db
    .selectFrom('tokens')
    .select('id')
    .where('account_id', '=', accountId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('created_at', '>', new Date(now.getTime() - withinMs).toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export const TOKEN_INVALID = new DomainError(
  'token_invalid',
  "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier, ou demandez un nouveau lien.",
);
export const TOKEN_USED = new DomainError(
  'token_used',
  'Ce lien a déjà été utilisé : votre mot de passe a été déterminé. Connectez-vous, ou demandez un nouveau lien si vous l\'avez oublié.',
);
export const TOKEN_EXPIRED = new DomainError('token_expired', 'Ce lien a expiré. Demandez un nouveau lien : il vous sera envoyé par e-mail.');
export const TOKEN_SUPERSEDED = new DomainError(
  'token_superseded',
  'Ce lien a été remplacé par un lien plus récent, envoyé à la même adresse : utilisez le lien du dernier e-mail reçu.',
);

/** The token's row if it can still be used; otherwise the reason it cannot, as a DomainError. */
export async function usableToken(db: Db, clock: Clock, token: string, purposes: readonly TokenPurpose[]) {
  const row = await db
    .selectFrom('tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('purpose', 'in', purposes)
    .executeTakeFirst();
  if (!row) throw TOKEN_INVALID;
  if (row.used_at !== null) throw TOKEN_USED;
  if (row.superseded_at !== null) throw TOKEN_SUPERSEDED;
  if (row.expires_at <= clock.now().toISOString()) throw TOKEN_EXPIRED;
  return row;
}

/** Marks the token used, atomically: of two concurrent uses, exactly one wins. */
export async function spendToken(db: Db, clock: Clock, tokenId: string): Promise<void> {
  const now = clock.now().toISOString();
  const result = await db
    .updateTable('tokens')
    .set({ used_at: now })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw TOKEN_USED;
}

/** Once a password is set, every other unused link of the account stops working. */
export async function revokeTokens(db: Db, clock: Clock, accountId: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ used_at: clock.now().toISOString() })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
}
