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
