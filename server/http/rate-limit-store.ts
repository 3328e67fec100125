import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/time.js';

type Hit = { current: number; ttl: number };

/**
 * Rate-limit counters in the database rather than in each process, so that
 * several service instances behind a load balancer enforce one limit. One
 * upsert adds `amount` hits: the window restarts when it has ended.
 */
export async function countHit(db: Kysely<Database>, clock: Clock, key: string, windowMs: number, amount = 1): Promise<{ hits: number; windowEnds: number }> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const windowEnds = new Date(now.getTime() + windowMs).toISOString();
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, hits: amount, window_ends: windowEnds })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        hits: eb.case().when('rate_limit_hits.window_ends', '<=', nowIso).then(amount).else(eb('rate_limit_hits.hits', '+', amount)).end(),
        window_ends: eb.case().when('rate_limit_hits.window_ends', '<=', nowIso).then(windowEnds).else(eb.ref('rate_limit_hits.window_ends')).end(),
      })),
    )
    .returning(['hits', 'window_ends'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowEnds: Date.parse(row.window_ends) };
}

export async function pruneHits(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_ends', '<', clock.now().toISOString()).execute();
}

/** A block of hits a process took from the shared counter for one client, and serves from memory. */
interface Lease {
  /** The shared count before the block was taken. */
  base: number;
  /** Hits of the block this process may still serve. */
  left: number;
  served: number;
  windowEnds: number;
  /** The block was cut short by the limit: nothing more this window. */
  last: boolean;
}

/** Leases are dropped once their window has ended, when there are more than this many. */
const LEASES_KEPT = 10_000;

/**
 * For routes that only read and allow many requests a minute (the directory,
 * searched as one types): a write per request was most of a search's cost
 * through HTTP. Each process takes hits from the shared counter a block at a
 * time (a tenth of the limit, at most 50) and serves them from memory. The
 * counter holds every hit handed out, so together the instances never let a
 * client through more than the limit; a block an instance has not used by
 * the window's end is only lost to that client, which may then be refused a
 * little early when it is served by several instances. With a limit under
 * 20 a minute, the block is one hit: the counter is exact.
 */
class LeasedCounter {
  private readonly leases = new Map<string, Lease>();
  private readonly taking = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number, max: number): Promise<Hit> {
    for (;;) {
      const now = this.clock.now().getTime();
      const lease = this.leases.get(key);
      if (lease && lease.windowEnds > now) {
        const ttl = lease.windowEnds - now;
        if (lease.left > 0) {
          lease.left--;
          lease.served++;
          return { current: lease.base + lease.served, ttl };
        }
        if (lease.last) return { current: max + 1, ttl };
      }
      // Simultaneous requests of one client wait for one block rather than each taking their own.
      const pending = this.taking.get(key) ?? this.take(key, windowMs, max);
      await pending;
    }
  }

  private take(key: string, windowMs: number, max: number): Promise<void> {
    const amount = Math.max(1, Math.min(50, Math.floor(max / 10)));
    const pending = countHit(this.db, this.clock, key, windowMs, amount)
      .then(({ hits, windowEnds }) => {
        const base = hits - amount;
        const left = Math.max(0, Math.min(amount, max - base));
        this.forgetEnded();
        this.leases.set(key, { base, left, served: 0, windowEnds, last: base + left >= max });
      })
      .finally(() => this.taking.delete(key));
    this.taking.set(key, pending);
    return pending;
  }

  private forgetEnded(): void {
    if (this.leases.size < LEASES_KEPT) return;
    const now = this.clock.now().getTime();
    for (const [key, lease] of this.leases) if (lease.windowEnds <= now) this.leases.delete(key);
  }
}

/** A route's rate-limit option (perClientReadLimit): hits taken from the shared counter a block at a time. */
export const LEASED = 'leasedHits';

export function databaseRateLimitStore(db: Kysely<Database>, clock: Clock): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(
      private readonly prefix = '',
      private readonly leased: LeasedCounter | null = null,
    ) {}

    incr(key: string, callback: (error: Error | null, result?: Hit) => void, timeWindow: number, max: number): void {
      const scoped = `${this.prefix}${key}`;
      const hit: Promise<Hit> = this.leased
        ? this.leased.hit(scoped, timeWindow, max)
        : countHit(db, clock, scoped, timeWindow).then(({ hits, windowEnds }) => ({ current: hits, ttl: Math.max(0, windowEnds - clock.now().getTime()) }));
      hit.then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    // One counter per route and client: the plugin passes the route it is building, with its options.
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const options = routeOptions as { routeInfo?: { method?: string | string[]; url?: string }; [LEASED]?: boolean };
      const route = options.routeInfo ?? routeOptions;
      return new DatabaseStore(`${[route.method ?? ''].flat().join(',')} ${route.url ?? ''}|`, options[LEASED] ? new LeasedCounter(db, clock) : null);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}
