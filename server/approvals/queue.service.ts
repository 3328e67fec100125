import type { QueueResponse } from '../../common/api/staff.js';
import type { QueueQuery } from '../../common/staff/schemas.js';
import type { AppContext } from '../context.js';
import { pendingSummary, queuePage, toQueueItem } from '../registrations/registrations.repository.js';

export const QUEUE_PAGE_SIZE = 20;

export async function listQueue(ctx: AppContext, query: QueueQuery): Promise<QueueResponse> {
  const now = ctx.clock.now();
  const [page, pending] = await Promise.all([queuePage(ctx.db, query, (query.page - 1) * QUEUE_PAGE_SIZE, QUEUE_PAGE_SIZE), pendingSummary(ctx.db)]);
  return {
    page: query.page,
    pageSize: QUEUE_PAGE_SIZE,
    total: page.total,
    waiting: pending.waiting,
    oldestWaitingSeconds: pending.oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(pending.oldest)) / 1000)) : null,
    items: page.rows.map((r) => toQueueItem(r, now)),
  };
}
