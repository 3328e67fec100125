import { describe, expect, it } from 'vitest';
import type { OutboxEntry, ReplayRequest } from '../../../common/outbox/outbox.js';
import { OutboxReplayer, type OutboxStorage, type ReplayAnswer } from '../../../common/outbox/replay.js';

const registration = {
  identity: { civility: 'Mme' as const, lastName: 'Horsligne', firstName: 'Camille', jobTitle: 'Chargée de mission', quartiersFertiles: false },
  organisation: { siren: '775672272' },
  contact: { email: 'camille@quartiers-solidaires.org', phone: '04 72 10 30 30' },
  confirm: { termsAccepted: true },
};

function entry(id: string, kind: OutboxEntry['kind'] = 'phone-registration'): OutboxEntry {
  return { kind, id, capturedAt: '2026-12-01T09:00:00.000Z', registration };
}

/** A device's storage in memory, as either side keeps it. */
function memory(...entries: OutboxEntry[]) {
  const pending = [...entries];
  const refused: { id: string; message: string }[] = [];
  const storage: OutboxStorage = {
    pending: async () => [...pending],
    remove: async (gone) => void pending.splice(pending.findIndex((kept) => kept.id === gone.id), 1),
    refuse: async (gone, message) => {
      refused.push({ id: gone.id, message });
      pending.splice(pending.findIndex((kept) => kept.id === gone.id), 1);
    },
  };
  return { storage, pending, refused };
}

/** A service answering each request with the next status of `statuses` (202 once they run out). */
function service(...statuses: (number | null)[]) {
  const received: ReplayRequest[] = [];
  const send = async (request: ReplayRequest): Promise<ReplayAnswer> => {
    received.push(request);
    const status = statuses.length > 0 ? (statuses.shift() ?? null) : 202;
    if (status === null) return { status, body: null };
    return status >= 400 ? { status, body: { error: 'validation_failed', message: 'La demande est refusée.' } } : { status, body: {} };
  };
  return { send, received, ids: () => received.map((request) => request.headers['Idempotency-Key']) };
}

describe('replaying an outbox', () => {
  it('sends oldest first, each under its own Idempotency-Key, and forgets what the service took', async () => {
    const { storage, pending } = memory(entry('a'), entry('b'));
    const { send, ids } = service(202, 200);

    await new OutboxReplayer(storage).replay(send);

    expect(ids()).toEqual(['a', 'b']);
    expect(pending).toEqual([]);
  });

  it('stops at the first request the service cannot take (no answer, 408, 429, 5xx), keeping it and every later one for the next replay', async () => {
    for (const status of [null, 408, 429, 503]) {
      const { storage, pending } = memory(entry('a'), entry('b'), entry('c'));
      const { send, ids } = service(202, status);

      await new OutboxReplayer(storage).replay(send);

      expect(ids()).toEqual(['a', 'b']);
      expect(pending.map((kept) => kept.id)).toEqual(['b', 'c']);
    }
  });

  it('keeps a request refused for good among the refused, with the service\'s reason, and goes on with the next', async () => {
    const { storage, pending, refused } = memory(entry('a'), entry('b'));

    await new OutboxReplayer(storage).replay(service(400, 202).send);

    expect(refused).toEqual([{ id: 'a', message: 'La demande est refusée.' }]);
    expect(pending).toEqual([]);
  });

  it('keeps what waits for a credential, says which, sends the rest, and forgets the wait once a replay needs none', async () => {
    const { storage, pending } = memory(entry('borne', 'kiosk-registration'), entry('desk'), entry('later'));
    const replayer = new OutboxReplayer(storage);

    await replayer.replay(service(401, 403, 202).send);
    expect(pending.map((kept) => kept.id)).toEqual(['borne', 'desk']);
    expect(replayer.waiting).toEqual({ forSignIn: true, forKioskKey: true });

    await replayer.replay(service(202, 202).send);
    expect(pending).toEqual([]);
    expect(replayer.waiting).toEqual({ forSignIn: false, forKioskKey: false });
  });

  it('runs one replay at a time: a call during a replay shares it, and the next call starts afresh', async () => {
    const { storage } = memory(entry('a'));
    const replayer = new OutboxReplayer(storage);
    const { send, received } = service(null, 202);

    await Promise.all([replayer.replay(send), replayer.replay(send)]);
    expect(received).toHaveLength(1);
    await replayer.replay(send);
    expect(received).toHaveLength(2);
  });
});
