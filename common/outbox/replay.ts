import { refusalMessage, replayRequest, verdictOf, type OutboxEntry, type ReplayRequest } from './outbox.js';

// The replay of an outbox, the same for the desktop app's files and a
// browser's localStorage: each side only says where entries are kept and how
// a request reaches the service.
//
// Oldest first. Each attempt carries the entry's id as its Idempotency-Key,
// and an entry leaves the storage only once the service has answered it for
// good: a crash or a lost answer in between makes the next replay send it
// again, which the service answers as the first time, creating nothing. There
// is no timer and no backoff here: the first request the service cannot take
// ends the replay, and the next replay starts when the screen sees the service
// answer again.

/** What the service answered a replayed request; status null when it could not be reached. */
export interface ReplayAnswer {
  status: number | null;
  body: unknown;
}

export type SendReplay = (request: ReplayRequest) => Promise<ReplayAnswer>;

/** Where one device keeps its entries. */
export interface OutboxStorage {
  /** The kept requests, oldest first. */
  pending(): Promise<OutboxEntry[]>;
  /** The service accepted it: forget it. */
  remove(entry: OutboxEntry): Promise<void>;
  /** The service refused it for good: keep it no longer pending, but among the refused with the service's reason, for someone to retype. */
  refuse(entry: OutboxEntry, message: string): Promise<void>;
}

/** What the last replay left waiting for a credential. */
export interface ReplayWait {
  /** A desk's request needs a signed-in agent. */
  forSignIn: boolean;
  /** A kiosk's request needs the key of an enrolled kiosk. */
  forKioskKey: boolean;
}

/** Replays one device's outbox, one replay at a time: a call during a replay shares it. */
export class OutboxReplayer {
  private replaying: Promise<void> | null = null;
  private wait: ReplayWait = { forSignIn: false, forKioskKey: false };

  constructor(private readonly storage: OutboxStorage) {}

  get waiting(): ReplayWait {
    return { ...this.wait };
  }

  /** Sends the kept requests, oldest first, until the service stops answering. */
  replay(send: SendReplay): Promise<void> {
    this.replaying ??= this.replayOnce(send).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayOnce(send: SendReplay): Promise<void> {
    const wait: ReplayWait = { forSignIn: false, forKioskKey: false };
    for (const entry of await this.storage.pending()) {
      const request = replayRequest(entry);
      const answer = await send(request);
      const verdict = verdictOf(answer.status);
      if (verdict === 'retry-later') break;
      if (verdict === 'needs-sign-in') {
        // Kept: an agent signs in, or an admin gives the kiosk its key; the other kind may still go meanwhile.
        if (request.credential === 'kiosk-key') wait.forKioskKey = true;
        else wait.forSignIn = true;
        continue;
      }
      if (verdict === 'refused') await this.storage.refuse(entry, refusalMessage(answer.status ?? 0, answer.body));
      else await this.storage.remove(entry);
    }
    this.wait = wait;
  }
}
