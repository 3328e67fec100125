import type { SearchResult } from '../../common/api/staff.js';
import type { AppContext } from '../context.js';
import { containsText, queueBase, requestHoldingText, toQueueItem } from '../registrations/registrations.repository.js';
import { toStaffAccount } from './staff-accounts.service.js';

const LIMIT = 50;

/** Requests and accounts by name, email or SIREN, newest first: what an agent needs when someone calls. */
export async function searchPeople(ctx: AppContext, q: string): Promise<SearchResult> {
  const digits = q.replace(/\s/g, '');
  const now = ctx.clock.now();
  const [requests, accounts] = await Promise.all([
    // The page of matching requests first, then their organisation and
    // claimer: joining every match before sorting cost PostgreSQL 27 ms
    // instead of 8 for 15 000 matching requests.
    queueBase(ctx.db)
      .leftJoin('accounts as acc', 'acc.id', 'r.account_id')
      .select('acc.status as account_status')
      .where(
        'r.id',
        'in',
        // The page's requests, in a subquery of its own: its alias r hides the outer query's.
        ctx.db.selectFrom('registrations as r').select('r.id').where(requestHoldingText(q)).orderBy('r.created_at', 'desc').limit(LIMIT),
      )
      .orderBy('r.created_at', 'desc')
      .execute(),
    ctx.db
      .selectFrom('accounts')
      .select(['id', 'email', 'first_name', 'last_name', 'role', 'status', 'created_at'])
      .where((eb) =>
        eb.or([containsText(eb.ref('email'), q), containsText(eb.ref('last_name'), q), containsText(eb.ref('first_name'), q), eb('siren', '=', digits)]),
      )
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .execute(),
  ]);
  return {
    registrations: requests.map((r) => ({ ...toQueueItem(r, now), accountId: r.account_id, accountStatus: r.account_status ?? null })),
    accounts: accounts.map(toStaffAccount),
  };
}
