import type { RelatedRecord, RequestDetail } from '../../common/api/staff.js';
import { accountsSharing } from '../accounts/accounts.repository.js';
import { actorNames, historyOf } from '../audit/history.js';
import type { AppContext } from '../context.js';
import { findOrganisation } from '../directory/directory.repository.js';
import { toOrganisationView } from '../directory/directory.service.js';
import { findRequestPage, requestsSharing, toQueueItem } from '../registrations/registrations.repository.js';
import { DomainError } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';
import { domainCheck } from '../trust/domains.service.js';

export const REQUEST_NOT_FOUND = new DomainError('request_not_found', "Cette demande n'existe pas.");

const RELATED_LIMIT = 50;

/**
 * The newest of rows found by email and by SIREN, each list newest first:
 * one ordered index walk per column, where a single query on "email or
 * SIREN" sorts every match (thousands for a large commune's SIREN).
 */
function newest<R extends { id: string; created_at: string }>(lists: R[][]): R[] {
  const byId = new Map(lists.flat().map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, RELATED_LIMIT);
}

function relatedFields(
  r: { id: string; email: string; first_name: string; last_name: string; siren: string | null; status: string; created_at: string },
  email: string,
): Omit<RelatedRecord, 'kind'> {
  return {
    id: r.id,
    email: r.email,
    name: `${r.first_name} ${r.last_name}`,
    siren: r.siren,
    status: r.status,
    createdAt: r.created_at,
    sameEmail: r.email === email,
  };
}

/** A request as its page shows it: the request in one query, then everything around it at once. */
export async function requestDetail(ctx: AppContext, id: string, user: SessionUser): Promise<RequestDetail> {
  const now = ctx.clock.now();
  const row = await findRequestPage(ctx.db, id);
  if (!row) throw REQUEST_NOT_FOUND;
  const subjects = [{ type: 'registration', id }];
  // An organisation added to the directory from this request: the addition shows in its history.
  if (row.off_directory === 1) subjects.push({ type: 'organisation', id: row.siren });
  if (row.account_id) subjects.push({ type: 'account', id: row.account_id });
  const [organisation, requestsByEmail, requestsBySiren, accountsByEmail, accountsBySiren, domain, names, history] = await Promise.all([
    findOrganisation(ctx.db, row.siren),
    requestsSharing(ctx.db, 'email', row.email, id, RELATED_LIMIT),
    requestsSharing(ctx.db, 'siren', row.siren, id, RELATED_LIMIT),
    accountsSharing(ctx.db, 'email', row.email, row.account_id, RELATED_LIMIT),
    accountsSharing(ctx.db, 'siren', row.siren, row.account_id, RELATED_LIMIT),
    domainCheck(ctx.db, row.siren, row.email),
    actorNames(ctx.db, [row.entered_by, row.decided_by].filter((by): by is string => by !== null)),
    historyOf(ctx.db, subjects),
  ]);
  const related: RelatedRecord[] = [
    ...newest([requestsByEmail, requestsBySiren]).map((r) => ({ kind: 'registration' as const, ...relatedFields(r, row.email) })),
    ...newest([accountsByEmail, accountsBySiren]).map((a) => ({ kind: 'account' as const, ...relatedFields(a, row.email) })),
  ];
  const item = toQueueItem(row, now);
  return {
    ...item,
    civility: row.civility as RequestDetail['civility'],
    jobTitle: row.job_title,
    phone: row.phone,
    quartiersFertiles: row.quartiers_fertiles === 1,
    trusted: row.trusted === 1,
    trustReason: row.trust_reason,
    enteredBy: row.entered_by ? (names.get(row.entered_by) ?? null) : null,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by ? (names.get(row.decided_by) ?? null) : null,
    rejection: row.rejection_reason ? { reason: row.rejection_reason, comment: row.rejection_comment ?? '' } : null,
    directoryRecord: organisation ? toOrganisationView(organisation) : null,
    declaredCommune: row.organisation_commune,
    related,
    duplicateFlag: related.some((r) => r.sameEmail),
    history,
    claimedByMe: item.claimedBy !== null && row.claimed_by === user.id,
    enteredByMe: row.entered_by === user.id,
    accountStatus: row.account_status ?? null,
    domainCheck: domain,
  };
}
