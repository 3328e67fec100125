import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/time.js';

/**
 * Rate-limit counters in the database rather than in each process, so that
 * several service instances behind a load balancer enforce one limit. One
 * upsert per counted request: the window restarts when it has ended.
 */
export async function countHit(db: Kysely<Database>, clock: Clock, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const windowEnds = new Date(now.getTime() + windowMs).toISOString();
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, hits: 1, window_ends: windowEnds })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        hits: eb.case().when('rate_limit_hits.window_ends', '<=', nowIso).then(1).else(eb('rate_limit_hits.hits', '+', 1)).end(),
        window_ends: eb.case().when('rate_limit_hits.window_ends', '<=', nowIso).then(windowEnds).else(eb.ref('rate_limit_hits.window_ends')).end(),
      })),
    )
    .returning(['hits', 'window_ends'])
    .executeTakeFirstOrThrow();
  return { current: Number(row.hits), ttl: Math.max(0, Date.parse(row.window_ends) - now.getTime()) };
}

export async function pruneHits(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_ends', '<', clock.now().toISOString()).execute();
}

export function databaseRateLimitStore(db: Kysely<Database>, clock: Clock): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      countHit(db, clock, `${this.prefix}${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    // One counter per route and client: the plugin passes the route it is building.
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? routeOptions;
      return new DatabaseStore(`${[route.method ?? ''].flat().join(',')} ${route.url ?? ''}|`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}
