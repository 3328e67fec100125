import fs from 'node:fs/promises';
import path from 'node:path';
import { refusedRequest, type OutboxEntry, type OutboxStatus, type RefusedRequest } from '../../common/outbox/outbox.js';
import { OutboxReplayer, type OutboxStorage, type SendReplay } from '../../common/outbox/replay.js';
import { removeFileDurably, removeTemporaryFiles, writeFileDurably } from '../storage/durable-file.js';

export type { ReplayAnswer, SendReplay } from '../../common/outbox/replay.js';

// The desk's outbox: requests completed while the service could not be
// reached, one file each, written durably before the screen says
// "enregistré", and replayed by common/outbox/replay.ts once the service
// answers. A pending file is removed only after the service answered it for
// good (a refused one is first written among the refused): a crash in between
// makes the next replay send it again, under the same Idempotency-Key.
// Nothing is lost, nothing is duplicated.

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
  private readonly replayer: OutboxReplayer;

  private constructor(
    private readonly root: string,
    private readonly showRefused: boolean,
  ) {
    const storage: OutboxStorage = {
      pending: () => this.pending(),
      remove: (entry) => this.remove(PENDING, entry.id),
      refuse: async (entry, message) => {
        const refused: RefusedFile = { entry, message };
        await writeFileDurably(path.join(this.dir(REFUSED), `${entry.id}.json`), JSON.stringify(refused));
        await this.remove(PENDING, entry.id);
      },
    };
    this.replayer = new OutboxReplayer(storage);
  }

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

  private async remove(kind: typeof PENDING | typeof REFUSED, id: string): Promise<void> {
    for (const name of await this.names(kind)) {
      if (idOfName(name) === id) await removeFileDurably(path.join(this.dir(kind), name));
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
        if (file) refused.push(refusedRequest(file.entry, file.message));
      }
    }
    const { forSignIn, forKioskKey } = this.replayer.waiting;
    return { pending: (await this.names(PENDING)).length, refused, waitingForSignIn: forSignIn, waitingForKioskKey: forKioskKey };
  }

  /** Sends the kept requests (common/outbox/replay.ts); a call during a replay waits for it. */
  async replay(send: SendReplay): Promise<OutboxStatus> {
    await this.replayer.replay(send);
    return this.status();
  }

  /** Forgets a refused request once someone has dealt with it. */
  dismiss(id: string): Promise<void> {
    return this.remove(REFUSED, id);
  }
}
