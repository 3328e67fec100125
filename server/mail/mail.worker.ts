import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/schema.js';
import { isoAfter, type Clock } from '../shared/time.js';
import { claimMail, findDueIds, getMail, markFailed, markSent } from './outbox.repository.js';
import type { MailTransport } from './transport.js';

const LOCK_MS = 60_000;
const BATCH = 20;
const MAX_BACKOFF_MS = 60 * 60_000;

/** Waits after the Nth failed attempt: 5 s, 10 s, 20 s… up to an hour; mail is retried until it leaves. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export interface MailWorkerOptions {
  db: Kysely<Database>;
  transport: MailTransport;
  from: string;
  clock: Clock;
  pollMs: number;
  log: FastifyBaseLogger;
}

/** Delivers the outbox: polls for due mail, and is woken at once when a request queues one. */
export class MailWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly options: MailWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Delivers every email due now; returns how many left. */
  async deliverDue(): Promise<number> {
    const { db, clock } = this.options;
    let delivered = 0;
    for (;;) {
      const now = clock.now().toISOString();
      const ids = await findDueIds(db, now, BATCH);
      if (ids.length === 0) return delivered;
      let claimedAny = false;
      for (const id of ids) {
        if (!(await claimMail(db, id, now, isoAfter(clock, LOCK_MS)))) continue;
        claimedAny = true;
        if (await this.deliver(id)) delivered++;
      }
      if (!claimedAny) return delivered;
    }
  }

  private async deliver(id: string): Promise<boolean> {
    const { db, transport, from, clock, log } = this.options;
    const mail = await getMail(db, id);
    try {
      await transport.send({ id, kind: mail.kind, from, to: mail.recipient, subject: mail.subject, text: mail.text_body, html: mail.html_body });
      await markSent(db, id, clock.now().toISOString());
      log.info({ mailId: id, kind: mail.kind }, 'mail delivered');
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = retryDelayMs(mail.attempts);
      await markFailed(db, id, message, isoAfter(clock, delay));
      log.warn({ mailId: id, attempts: mail.attempts, retryInMs: delay, err: message }, 'mail delivery failed; will retry');
      return false;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.deliverDue()
        .then(() => undefined)
        .catch((error: unknown) => this.options.log.error({ err: error }, 'mail worker pass failed'))
        .finally(() => {
          this.running = null;
          const rerun = this.again;
          this.again = false;
          this.schedule(rerun ? 0 : this.options.pollMs);
        });
    }, delay);
    this.timer.unref();
  }
}
