import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { MailContent } from './templates.js';

type Db = Kysely<Database>;

/** Queues an email in the caller's transaction, so it leaves if and only if the state change commits. */
export async function enqueueMail(db: Db, recipient: string, content: MailContent, now: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('outbox')
    .values({
      id,
      kind: content.kind,
      recipient,
      subject: content.subject,
      text_body: content.text,
      html_body: content.html,
      created_at: now,
      next_attempt_at: now,
      locked_until: null,
      sent_at: null,
      last_error: null,
    })
    .execute();
  return id;
}

export async function findDueIds(db: Db, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('id')
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes one email for delivery; false when another worker (or instance) has it. */
export async function claimMail(db: Db, id: string, now: string, lockedUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({ locked_until: lockedUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function getMail(db: Db, id: string) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Records the delivery and empties the body: a set-password email carries a
 * live link, which must not outlive its delivery in the database (nor in its
 * backups and copies), where only hashes of links belong.
 */
export async function markSent(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ sent_at: now, locked_until: null, last_error: null, text_body: '', html_body: '' })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: string, error: string, nextAttemptAt: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/** Forgets emails delivered before `before`: their recipient, subject and dates (the body went at delivery). Mail still to deliver stays. */
export async function deleteDeliveredBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('outbox').where('sent_at', 'is not', null).where('sent_at', '<', before).execute();
}
