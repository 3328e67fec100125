import net from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** What an email, a name, a phone number, a comment or a client address becomes in an audit event past its retention period. */
export const PSEUDONYM = '[pseudonymisé]';

// Keys whose value is about a person whoever wrote the event: the value goes
// whole, whatever it is. Elsewhere, free text keeps its words but loses the
// emails and IP addresses in it.
const PERSONAL_KEYS = new Set([
  'email',
  'recipient',
  'client',
  'ip',
  'address',
  'firstName',
  'lastName',
  'first_name',
  'last_name',
  'phone',
  'comment',
]);

const OPENING = new Set('(«"\'<[');
const CLOSING = new Set(')»"\'>],;:.!?');

/** A word of free text that is an email or an IP address, once the quotes and punctuation around it are set aside. */
function isPersonalWord(word: string): boolean {
  let start = 0;
  let end = word.length;
  while (start < end && OPENING.has(word[start]!)) start++;
  while (end > start && CLOSING.has(word[end - 1]!)) end--;
  const bare = word.slice(start, end);
  return net.isIP(bare) !== 0 || /^[^@\s]+@[^@\s]+$/.test(bare);
}

function blankText(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (isPersonalWord(part) ? PSEUDONYM : part))
    .join('');
}

/** The event's details with the personal fields blanked, keys and the rest kept. */
export function pseudonymiseDetails(value: unknown): unknown {
  if (typeof value === 'string') return blankText(value);
  if (Array.isArray(value)) return value.map(pseudonymiseDetails);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, PERSONAL_KEYS.has(key) && inner !== null ? PSEUDONYM : pseudonymiseDetails(inner)]),
    );
  }
  return value;
}

const BATCH = 500;

/**
 * Blanks the personal fields of the audit events older than `before` not yet
 * treated, and marks them; an event about an email address (a duplicate
 * request) loses the address as its subject too. The events themselves (when,
 * who among the staff, what, on which request or account) stay. Several
 * instances may run it at once: the rewrite gives the same result twice.
 */
export async function pseudonymiseAuditBefore(db: Kysely<Database>, before: string, now: string): Promise<void> {
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .select(['id', 'subject_type', 'subject_id', 'details'])
      .where('pseudonymised_at', 'is', null)
      .where('at', '<', before)
      .orderBy('at')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        await trx
          .updateTable('audit_events')
          .set({
            details: JSON.stringify(pseudonymiseDetails(JSON.parse(row.details))),
            subject_id: row.subject_type === 'email' ? PSEUDONYM : row.subject_id,
            pseudonymised_at: now,
          })
          .where('id', '=', row.id)
          .execute();
      }
    });
    if (rows.length < BATCH) return;
  }
}
