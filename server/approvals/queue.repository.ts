import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { QueueItem } from '../../common/api/staff.js';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import type { QueueStatus } from '../../common/staff/schemas.js';
import type { Database } from '../db/schema.js';

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

export function filteredQueue(db: Db, filter: QueueFilter) {
  let query = queueBase(db).where('r.status', '=', filter.status);
  if (filter.departement) query = query.where('o.departement', '=', filter.departement.toUpperCase());
  if (filter.q) query = query.where(requestHoldingText(filter.q));
  return query;
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
