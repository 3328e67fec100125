import {
  refusalMessage,
  replayRequest,
  summaryOf,
  verdictOf,
  type OutboxEntry,
  type OutboxStatus,
  type ReplayRequest,
} from '../../common/outbox/outbox.js';
import { apiFailure, http } from '../services/http.js';
import type { Outbox } from './index.js';

// The outbox of a browser kiosk or desk, standing in for the desktop app's
// (src-main/outbox): the same entries and replay rules, kept in localStorage.
// Only the desktop app writes them to disk with a flush; a browser gives no
// such promise, which is why a real kiosk runs the desktop app.

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

let replaying: Promise<void> | null = null;
let waitingForSignIn = false;
let waitingForKioskKey = false;

async function send(request: ReplayRequest): Promise<{ status: number | null; body: unknown }> {
  try {
    const response = await http.post(request.path, request.body, { headers: request.headers });
    return { status: response.status, body: response.data };
  } catch (error) {
    const failure = apiFailure(error);
    if (!failure) throw error;
    return { status: failure.status === 0 ? null : failure.status, body: failure.body };
  }
}

// Each step re-reads the storage: another tab of the same browser may have sent or added entries meanwhile.
async function replayOnce(): Promise<void> {
  let needsSignIn = false;
  let needsKioskKey = false;
  for (const entry of read().pending) {
    const request = replayRequest(entry);
    const answer = await send(request);
    const verdict = verdictOf(answer.status);
    if (verdict === 'retry-later') break;
    if (verdict === 'needs-sign-in') {
      if (request.credential === 'kiosk-key') needsKioskKey = true;
      else needsSignIn = true;
      continue;
    }
    const stored = read();
    stored.pending = stored.pending.filter((kept) => kept.id !== entry.id);
    if (verdict === 'refused') stored.refused.push({ entry, message: refusalMessage(answer.status ?? 0, answer.body) });
    write(stored);
  }
  waitingForSignIn = needsSignIn;
  waitingForKioskKey = needsKioskKey;
}

export function webOutbox(options: { showRefused: boolean }): Outbox {
  function status(): OutboxStatus {
    const stored = read();
    return {
      pending: stored.pending.length,
      refused: options.showRefused
        ? stored.refused.map(({ entry, message }) => ({ id: entry.id, kind: entry.kind, summary: summaryOf(entry), message, capturedAt: entry.capturedAt }))
        : [],
      waitingForSignIn,
      waitingForKioskKey,
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
      replaying ??= replayOnce().finally(() => {
        replaying = null;
      });
      await replaying;
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
