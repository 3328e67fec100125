import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/time.js';

// Anyone can make the service mail an address (a new link, "adresse déjà
// utilisée", a lock notice): without a limit, a script floods a partner's
// mailbox from our domain. Staff sends are not counted: they have their own
// limits, and a flood must not stop an agent from helping the person.
export const PUBLIC_MAILS_PER_HOUR = 3;
export const PUBLIC_MAILS_PER_DAY = 5;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The address as it is counted: addresses differing only in letter case reach the same mailbox. */
export function quotaKey(recipient: string): string {
  return recipient.trim().toLowerCase();
}

/**
 * Takes one of the address's public email slots, in the caller's transaction:
 * true when the email may be queued, false when the address has had 3 public
 * emails in the last hour or 5 in the last 24 hours. The row keeps the times
 * of the last five, newest first; one guarded upsert checks the third and the
 * fifth and shifts the times in, so the check and the count are one write:
 * on PostgreSQL a concurrent taker waits on the row and is judged on the
 * committed times, on SQLite transactions already run one at a time. A
 * rolled-back transaction gives its slot back, as its email never leaves.
 */
export async function takeMailSlot(db: Kysely<Database>, clock: Clock, recipient: string): Promise<boolean> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const taken = await db
    .insertInto('mail_quotas')
    .values({ recipient: quotaKey(recipient), sent_1: nowIso, sent_2: null, sent_3: null, sent_4: null, sent_5: null })
    .onConflict((oc) =>
      oc
        .column('recipient')
        .doUpdateSet((eb) => ({
          sent_1: nowIso,
          sent_2: eb.ref('mail_quotas.sent_1'),
          sent_3: eb.ref('mail_quotas.sent_2'),
          sent_4: eb.ref('mail_quotas.sent_3'),
          sent_5: eb.ref('mail_quotas.sent_4'),
        }))
        .where((eb) =>
          eb.and([
            eb.or([eb('mail_quotas.sent_3', 'is', null), eb('mail_quotas.sent_3', '<=', hourAgo)]),
            eb.or([eb('mail_quotas.sent_5', 'is', null), eb('mail_quotas.sent_5', '<=', dayAgo)]),
          ]),
        ),
    )
    .returning('recipient')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Forgets the addresses whose last public email is over a day old: they count as never mailed. */
export async function pruneMailQuotas(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db
    .deleteFrom('mail_quotas')
    .where('sent_1', '<=', new Date(clock.now().getTime() - DAY_MS).toISOString())
    .execute();
}
