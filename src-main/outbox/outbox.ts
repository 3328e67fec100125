import fs from 'node:fs/promises';
import path from 'node:path';
import {
  refusalMessage,
  replayRequest,
  summaryOf,
  verdictOf,
  type OutboxEntry,
  type OutboxStatus,
  type RefusedRequest,
  type ReplayRequest,
} from '../../common/outbox/outbox.js';
import { removeFileDurably, removeTemporaryFiles, writeFileDurably } from '../storage/durable-file.js';

// The desk's outbox: requests completed while the service could not be
// reached, one file each, written durably before the screen says
// "enregistré", and replayed oldest first once the service answers. Every
// attempt carries the entry's id as its Idempotency-Key, and a file is removed
// only after the service accepted it: a crash between the two makes the next
// replay send it again, which the service answers with its first answer and
// without creating anything. Nothing is lost, nothing is duplicated.

/** What the service answered a replayed request; status null when it could not be reached. */
export interface ReplayAnswer {
  status: number | null;
  body: unknown;
}

export type SendReplay = (request: ReplayRequest) => Promise<ReplayAnswer>;

interface RefusedFile {
  entry: OutboxEntry;
  message: string;
}

const PENDING = 'pending';
const REFUSED = 'refused';

/** File name of a pending entry: capture time first, so that a plain sort gives the replay order. */
function pendingName(entry: OutboxEntry): string {
  return `${String(Date.parse(entry.capturedAt)).padStart(15, '0')}-${entry.id}.json`;
}

function idOfName(name: string): string | null {
  const match = /^(?:\d{15}-)?([\w-]+)\.json$/.exec(name);
  return match?.[1] ?? null;
}

export class DurableOutbox {
  private replaying: Promise<OutboxStatus> | null = null;
  private waitingForSignIn = false;
  private waitingForKioskKey = false;

  private constructor(
    private readonly root: string,
    private readonly showRefused: boolean,
  ) {}

  /**
   * Opens (creating it if need be) the outbox kept in `root`. A kiosk passes
   * showRefused false: its status then never carries an applicant's data.
   */
  static async open(root: string, options: { showRefused: boolean }): Promise<DurableOutbox> {
    const outbox = new DurableOutbox(root, options.showRefused);
    for (const dir of [PENDING, REFUSED]) {
      await fs.mkdir(path.join(root, dir), { recursive: true, mode: 0o700 });
      await removeTemporaryFiles(path.join(root, dir));
    }
    return outbox;
  }

  private dir(kind: typeof PENDING | typeof REFUSED): string {
    return path.join(this.root, kind);
  }

  private async names(kind: typeof PENDING | typeof REFUSED): Promise<string[]> {
    return (await fs.readdir(this.dir(kind))).filter((name) => idOfName(name) !== null).sort();
  }

  private async read<T>(kind: typeof PENDING | typeof REFUSED, name: string): Promise<T | null> {
    try {
      return JSON.parse(await fs.readFile(path.join(this.dir(kind), name), 'utf8')) as T;
    } catch {
      // Unreadable (a disk fault): left where it is for someone to look at, rather than lost.
      return null;
    }
  }

  private async has(id: string): Promise<boolean> {
    const names = [...(await this.names(PENDING)), ...(await this.names(REFUSED))];
    return names.some((name) => idOfName(name) === id);
  }

  /**
   * Keeps a request; on disk when the promise resolves. The same id twice is
   * kept once: the renderer may retry after a crash of the app.
   */
  async add(entry: OutboxEntry): Promise<void> {
    if (await this.has(entry.id)) return;
    await writeFileDurably(path.join(this.dir(PENDING), pendingName(entry)), JSON.stringify(entry));
  }

  /** The kept requests, oldest first. */
  async pending(): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    for (const name of await this.names(PENDING)) {
      const entry = await this.read<OutboxEntry>(PENDING, name);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  async status(): Promise<OutboxStatus> {
    const refused: RefusedRequest[] = [];
    if (this.showRefused) {
      for (const name of await this.names(REFUSED)) {
        const file = await this.read<RefusedFile>(REFUSED, name);
        if (!file) continue;
        const { entry, message } = file;
        refused.push({ id: entry.id, kind: entry.kind, summary: summaryOf(entry), message, capturedAt: entry.capturedAt });
      }
    }
    return { pending: (await this.names(PENDING)).length, refused, waitingForSignIn: this.waitingForSignIn, waitingForKioskKey: this.waitingForKioskKey };
  }

  /**
   * Sends the kept requests, oldest first, until the service stops answering.
   * One replay at a time: a call during a replay waits for it.
   */
  replay(send: SendReplay): Promise<OutboxStatus> {
    this.replaying ??= this.replayOnce(send).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayOnce(send: SendReplay): Promise<OutboxStatus> {
    let needsSignIn = false;
    let needsKioskKey = false;
    for (const name of await this.names(PENDING)) {
      const entry = await this.read<OutboxEntry>(PENDING, name);
      if (!entry) continue;
      const request = replayRequest(entry);
      const answer = await send(request);
      const verdict = verdictOf(answer.status);
      if (verdict === 'retry-later') break;
      if (verdict === 'needs-sign-in') {
        // Kept: an agent signs in, or an admin gives the kiosk its key; the other kind may still go meanwhile.
        if (request.credential === 'kiosk-key') needsKioskKey = true;
        else needsSignIn = true;
        continue;
      }
      if (verdict === 'refused') {
        const refused: RefusedFile = { entry, message: refusalMessage(answer.status ?? 0, answer.body) };
        await writeFileDurably(path.join(this.dir(REFUSED), `${entry.id}.json`), JSON.stringify(refused));
      }
      await removeFileDurably(path.join(this.dir(PENDING), name));
    }
    this.waitingForSignIn = needsSignIn;
    this.waitingForKioskKey = needsKioskKey;
    return this.status();
  }

  /** Forgets a refused request once someone has dealt with it. */
  async dismiss(id: string): Promise<void> {
    for (const name of await this.names(REFUSED)) {
      if (idOfName(name) === id) await removeFileDurably(path.join(this.dir(REFUSED), name));
    }
  }
}
