import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { QueueItem } from '../../common/api/staff.js';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import type { QueueStatus } from '../../common/staff/schemas.js';
import type { Database, Registration, RegistrationStatus } from '../db/schema.js';

// The requests' queries: as the queue, the staff search and the trust rules
// list them (the read model: a request with its organisation's directory
// fields and who holds it), and as the registration and decision services
// store and change them.

type Db = Kysely<Database>;

export interface QueueFilter {
  status: QueueStatus;
  departement: string;
  q: string;
}

export function queueBase(db: Db) {
  return db
    .selectFrom('registrations as r')
    .leftJoin('organisations as o', 'o.siren', 'r.siren')
    .leftJoin('accounts as claimer', 'claimer.id', 'r.claimed_by')
    .select([
      'r.id',
      'r.created_at',
      'r.status',
      'r.channel',
      'r.first_name',
      'r.last_name',
      'r.email',
      'r.siren',
      'r.organisation_name',
      'r.off_directory',
      'o.siren as directory_siren',
      'o.legal_category',
      'o.departement',
      'r.claimed_by',
      'r.claimed_until',
      'r.account_id',
      'claimer.first_name as claimer_first_name',
      'claimer.last_name as claimer_last_name',
    ]);
}

export type QueueRow = Awaited<ReturnType<ReturnType<typeof queueBase>['executeTakeFirstOrThrow']>>;

/** Case-insensitive "contains", with the user's % and _ taken literally, alike on SQLite and PostgreSQL. */
export function containsText(column: Expression<string>, text: string): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`;
}

/**
 * A request whose applicant's name, email or organisation holds `text`, or
 * whose SIREN it is (spaces aside), in a query on `registrations as r`.
 */
export function requestHoldingText(text: string): Expression<SqlBool> {
  const columns = ['r.last_name', 'r.first_name', 'r.email', 'r.organisation_name'].map((column) => containsText(sql.ref<string>(column), text));
  return sql<SqlBool>`(${sql.join([...columns, sql`r.siren = ${text.replace(/\s/g, '')}`], sql` OR `)})`;
}

function filteredQueue(db: Db, filter: QueueFilter) {
  let query = queueBase(db).where('r.status', '=', filter.status);
  if (filter.departement) query = query.where('o.departement', '=', filter.departement.toUpperCase());
  if (filter.q) query = query.where(requestHoldingText(filter.q));
  return query;
}

/** One page of the queue, oldest first, and how many requests the filter matches. */
export async function queuePage(db: Db, filter: QueueFilter, offset: number, limit: number): Promise<{ total: number; rows: QueueRow[] }> {
  const base = filteredQueue(db, filter);
  const [count, rows] = await Promise.all([
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.orderBy('r.created_at', 'asc').orderBy('r.id').limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** How many requests wait for a decision, and when the oldest came in. */
export async function pendingSummary(db: Db): Promise<{ waiting: number; oldest: string | null }> {
  const row = await db
    .selectFrom('registrations')
    .where('status', '=', 'pending')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.n), oldest: row.oldest as string | null };
}

export function toQueueItem(row: QueueRow, now: Date): QueueItem {
  const claimActive = !!row.claimed_by && !!row.claimed_until && row.claimed_until > now.toISOString();
  return {
    id: row.id,
    createdAt: row.created_at,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(row.created_at)) / 1000)),
    status: row.status,
    channel: row.channel,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    organisation: {
      siren: row.siren,
      name: row.organisation_name,
      legalCategory: row.legal_category ?? '',
      legalCategoryLabel: row.legal_category ? legalCategoryLabel(row.legal_category) : '',
      departement: row.departement ?? null,
    },
    // Flagged while its SIREN is still missing from the directory: an approver may add the organisation.
    offDirectory: row.off_directory === 1 && row.directory_siren === null,
    claimedBy: claimActive ? `${row.claimer_first_name ?? ''} ${row.claimer_last_name ?? ''}`.trim() : null,
    claimedUntil: claimActive ? row.claimed_until : null,
  };
}

export function findRegistration(db: Db, id: string): Promise<Registration | undefined> {
  return db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A request as its page shows it: the queue's row, the rest of the request, and its account's status. */
export function findRequestPage(db: Db, id: string) {
  return queueBase(db)
    .leftJoin('accounts as acc', 'acc.id', 'r.account_id')
    .select([
      'r.civility',
      'r.job_title',
      'r.phone',
      'r.quartiers_fertiles',
      'r.trusted',
      'r.trust_reason',
      'r.entered_by',
      'r.decided_at',
      'r.decided_by',
      'r.rejection_reason',
      'r.rejection_comment',
      'r.organisation_commune',
      'acc.status as account_status',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** The newest other requests with the same email, or for the same SIREN. */
export function requestsSharing(db: Db, column: 'email' | 'siren', value: string, exceptId: string, limit: number) {
  return db
    .selectFrom('registrations')
    .select(['id', 'email', 'first_name', 'last_name', 'siren', 'status', 'created_at'])
    .where(column, '=', value)
    .where('id', '!=', exceptId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Who holds a request, and who typed it. */
export function holdOf(db: Db, id: string) {
  return db.selectFrom('registrations').select(['claimed_by', 'claimed_until', 'entered_by']).where('id', '=', id).executeTakeFirst();
}

/**
 * Holds a pending request for `holder` until `until`, unless someone else
 * holds it past `now`. The guarded UPDATE is the arbiter: of two staff
 * members taking the same request at once, one wins. True if it was taken.
 */
export async function takeHold(db: Db, id: string, holder: string, until: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('registrations')
    .set({ claimed_by: holder, claimed_until: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', holder), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lets go of a pending request `holder` holds. True if it was held. */
export async function releaseHold(db: Db, id: string, holder: string): Promise<boolean> {
  const result = await db
    .updateTable('registrations')
    .set({ claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('claimed_by', '=', holder)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Decision {
  status: Exclude<RegistrationStatus, 'pending'>;
  decidedAt: string;
  decidedBy: string;
  accountId?: string;
  rejection?: { reason: string; comment: string };
}

/** Records a decision on a request, which nobody holds any more. */
export async function recordDecision(db: Db, id: string, decision: Decision): Promise<void> {
  await db
    .updateTable('registrations')
    .set({
      status: decision.status,
      decided_at: decision.decidedAt,
      decided_by: decision.decidedBy,
      ...(decision.accountId ? { account_id: decision.accountId } : {}),
      ...(decision.rejection ? { rejection_reason: decision.rejection.reason, rejection_comment: decision.rejection.comment } : {}),
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .execute();
}

/** The organisation's name on a request, once the directory has it under that name. */
export async function renameOrganisation(db: Db, id: string, name: string): Promise<void> {
  await db.updateTable('registrations').set({ organisation_name: name }).where('id', '=', id).execute();
}

export async function insertRegistration(db: Db, registration: Registration): Promise<void> {
  await db.insertInto('registrations').values(registration).execute();
}

/** The request stored under a client's key in its scope, if any. */
export function requestOfKey(db: Db, scope: string, key: string) {
  return db
    .selectFrom('registrations')
    .select(['trusted', 'idempotency_body_hash'])
    .where('idempotency_scope', '=', scope)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Whom an address belongs to already, by an account or a pending request: the name to greet, in one round trip. */
export function knownAddressee(db: Db, email: string) {
  return db
    .selectFrom('accounts')
    .select(['civility', 'first_name', 'last_name'])
    .where('email', '=', email)
    .unionAll(db.selectFrom('registrations').select(['civility', 'first_name', 'last_name']).where('email', '=', email).where('status', '=', 'pending'))
    .limit(1)
    .executeTakeFirst();
}
