import { timeOrderedId } from '../shared/secrets.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface AuditEvent {
  /** Account id of the person who acted, or "applicant" / "system". */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

/** Appends rows to the audit trail, in the caller's transaction and in one statement. Rows are never deleted; past the audit's retention period their personal fields are blanked once (pseudonymise.ts). */
export async function recordEvents(db: Kysely<Database>, at: string, events: AuditEvent[]): Promise<void> {
  await db
    .insertInto('audit_events')
    .values(
      events.map((event) => ({
        id: timeOrderedId(),
        at,
        actor: event.actor,
        action: event.action,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        details: JSON.stringify(event.details ?? {}),
      })),
    )
    .execute();
}

/** Appends one row to the audit trail, in the caller's transaction. */
export function recordEvent(db: Kysely<Database>, at: string, event: AuditEvent): Promise<void> {
  return recordEvents(db, at, [event]);
}

/** How many times `action` was done to a subject after `since`, by anyone but `notBy`. */
export async function countEvents(
  db: Kysely<Database>,
  { subjectType, subjectId, action, since, notBy }: { subjectType: string; subjectId: string; action: string; since: string; notBy: string },
): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where('action', '=', action)
    .where('actor', '!=', notBy)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
