import { refusedRequest, type OutboxEntry, type OutboxStatus, type ReplayRequest } from '../../common/outbox/outbox.js';
import { OutboxReplayer, type OutboxStorage, type ReplayAnswer } from '../../common/outbox/replay.js';
import { catchApiFailure, http } from '../services/http.js';
import type { Outbox } from './index.js';

// The outbox of a browser kiosk or desk, standing in for the desktop app's
// (src-main/outbox): the same entries and replay (common/outbox/replay.ts),
// kept in localStorage. Only the desktop app writes them to disk with a flush;
// a browser gives no such promise, which is why a real kiosk runs the desktop app.

export const OUTBOX_STORAGE_KEY = 'guichet.outbox.v1';

interface Stored {
  pending: OutboxEntry[];
  refused: { entry: OutboxEntry; message: string }[];
}

function read(): Stored {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(OUTBOX_STORAGE_KEY) ?? 'null') as Partial<Stored> | null;
    return { pending: Array.isArray(parsed?.pending) ? parsed.pending : [], refused: Array.isArray(parsed?.refused) ? parsed.refused : [] };
  } catch {
    return { pending: [], refused: [] };
  }
}

/** Throws when the browser refuses to store it (quota, storage disabled): the screen must not say it is kept. */
function write(stored: Stored): void {
  window.localStorage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify(stored));
}

// Each change re-reads the storage: another tab of the same browser may have sent or added entries meanwhile.
function settle(entry: OutboxEntry, refusal: string | null): void {
  const stored = read();
  stored.pending = stored.pending.filter((kept) => kept.id !== entry.id);
  if (refusal !== null) stored.refused.push({ entry, message: refusal });
  write(stored);
}

const storage: OutboxStorage = {
  pending: async () => read().pending,
  remove: async (entry) => settle(entry, null),
  refuse: async (entry, message) => settle(entry, message),
};

// One per page, whatever the number of stores asking: a replay is shared by all.
const replayer = new OutboxReplayer(storage);

function send(request: ReplayRequest): Promise<ReplayAnswer> {
  return catchApiFailure(
    http.post(request.path, request.body, { headers: request.headers }).then((response) => ({ status: response.status, body: response.data as unknown })),
    (failure) => ({ status: failure.status === 0 ? null : failure.status, body: failure.body }),
  );
}

export function webOutbox(options: { showRefused: boolean }): Outbox {
  function status(): OutboxStatus {
    const stored = read();
    const { forSignIn, forKioskKey } = replayer.waiting;
    return {
      pending: stored.pending.length,
      refused: options.showRefused ? stored.refused.map(({ entry, message }) => refusedRequest(entry, message)) : [],
      waitingForSignIn: forSignIn,
      waitingForKioskKey: forKioskKey,
    };
  }

  function add(entry: OutboxEntry): OutboxStatus {
    const stored = read();
    if (![...stored.pending, ...stored.refused.map((r) => r.entry)].some((kept) => kept.id === entry.id)) {
      stored.pending.push(entry);
      write(stored);
    }
    return status();
  }

  return {
    queuePhoneRegistration: async ({ idempotencyKey, registration }) =>
      add({ kind: 'phone-registration', id: idempotencyKey, capturedAt: new Date().toISOString(), registration }),
    queueKioskRegistration: async ({ idempotencyKey, registration }) =>
      add({ kind: 'kiosk-registration', id: idempotencyKey, capturedAt: new Date().toISOString(), registration }),
    status: async () => status(),
    replay: async () => {
      await replayer.replay(send);
      return status();
    },
    dismiss: async (id) => {
      const stored = read();
      stored.refused = stored.refused.filter(({ entry }) => entry.id !== id);
      write(stored);
      return status();
    },
  };
}
