import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayRequest } from '../../../common/outbox/outbox.js';
import { DurableOutbox, type ReplayAnswer } from '../../../src-main/outbox/outbox.js';
import { kioskEntry, phoneEntry } from './fixtures.js';

const dirs: string[] = [];
function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-outbox-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake service answering each request with the next status of `statuses`, recording what it got. */
function service(...statuses: (number | null)[]) {
  const received: ReplayRequest[] = [];
  const send = async (request: ReplayRequest): Promise<ReplayAnswer> => {
    received.push(request);
    const status = statuses.length > 0 ? statuses.shift() : 202;
    if (status === null || status === undefined) return { status: null, body: null };
    if (status >= 400) return { status, body: { error: 'validation_failed', message: 'La demande est refusée.', fields: { 'contact.email': "L'adresse e-mail n'est pas valide." } } };
    return { status, body: { outcome: 'pending_approval', message: 'En attente.' } };
  };
  return { send, received };
}

describe('the desk outbox', () => {
  it('keeps each request in its own file, readable by its owner only, and counts them', async () => {
    const root = tempRoot();
    const outbox = await DurableOutbox.open(root, { showRefused: true });
    await outbox.add(phoneEntry(2));
    await outbox.add(phoneEntry(1));
    await outbox.add(phoneEntry(1));

    expect(await outbox.status()).toEqual({ pending: 2, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    const files = fs.readdirSync(path.join(root, 'pending'));
    expect(files).toHaveLength(2);
    if (process.platform !== 'win32') {
      for (const file of files) expect(fs.statSync(path.join(root, 'pending', file)).mode & 0o777).toBe(0o600);
    }
    // A new outbox on the same folder (the app restarted) finds them, oldest capture first.
    const reopened = await DurableOutbox.open(root, { showRefused: true });
    expect((await reopened.pending()).map((e) => e.id)).toEqual(['entree-1-0000', 'entree-2-0000']);
  });

  it('replays oldest first, with the entry id as Idempotency-Key and the capture date, and empties itself', async () => {
    const outbox = await DurableOutbox.open(tempRoot(), { showRefused: true });
    await outbox.add(phoneEntry(2));
    await outbox.add(phoneEntry(1));
    const { send, received } = service(202, 202);

    expect(await outbox.replay(send)).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    expect(received.map((r) => r.headers['Idempotency-Key'])).toEqual(['entree-1-0000', 'entree-2-0000']);
    expect(received[0]).toMatchObject({
      path: 'staff/phone-registrations',
      headers: { 'X-Guichet-Captured-Offline': phoneEntry(1).capturedAt },
      body: phoneEntry(1).registration,
    });
  });

  it('stops at the first request the service cannot take, and keeps it and the ones after it', async () => {
    const outbox = await DurableOutbox.open(tempRoot(), { showRefused: true });
    for (const n of [1, 2, 3]) await outbox.add(phoneEntry(n));
    const { send, received } = service(202, null);

    expect((await outbox.replay(send)).pending).toBe(2);
    expect(received).toHaveLength(2);
    expect((await outbox.pending()).map((e) => e.id)).toEqual(['entree-2-0000', 'entree-3-0000']);

    const later = service(503);
    expect((await outbox.replay(later.send)).pending).toBe(2);
  });

  it('waits for a signed-in agent when the service asks for one, without giving up on the request', async () => {
    const outbox = await DurableOutbox.open(tempRoot(), { showRefused: true });
    await outbox.add(phoneEntry(1));
    expect(await outbox.replay(service(401).send)).toEqual({ pending: 1, refused: [], waitingForSignIn: true, waitingForKioskKey: false });
    expect(await outbox.replay(service(202).send)).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
  });

  it('keeps a kiosk\'s request the service does not take from this kiosk, says it wants the key, and sends the rest meanwhile', async () => {
    const outbox = await DurableOutbox.open(tempRoot(), { showRefused: false });
    await outbox.add(kioskEntry(1, '2026-12-01T09:00:00.000Z'));
    await outbox.add(phoneEntry(2, '2026-12-01T09:05:00.000Z'));
    const { send, received } = service(401, 202);

    expect(await outbox.replay(send)).toEqual({ pending: 1, refused: [], waitingForSignIn: false, waitingForKioskKey: true });
    expect(received.map((r) => [r.path, r.credential])).toEqual([
      ['kiosk/registrations', 'kiosk-key'],
      ['staff/phone-registrations', 'session'],
    ]);
    expect((await outbox.pending()).map((e) => e.id)).toEqual(['borne-1-0000']);
    expect(await outbox.replay(service(202).send)).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
  });

  it('sets a refused request aside with the service\'s reasons, for the desk only, until someone dismisses it', async () => {
    const root = tempRoot();
    const outbox = await DurableOutbox.open(root, { showRefused: true });
    await outbox.add(phoneEntry(1));
    await outbox.add(phoneEntry(2));

    const status = await outbox.replay(service(400, 202).send);
    expect(status.pending).toBe(0);
    expect(status.refused).toEqual([
      {
        id: 'entree-1-0000',
        kind: 'phone-registration',
        summary: 'Camille Horsligne (personne1@quartiers-solidaires.org)',
        message: "La demande est refusée. L'adresse e-mail n'est pas valide.",
        capturedAt: phoneEntry(1).capturedAt,
      },
    ]);
    // The same id cannot come back in: it was dealt with.
    await outbox.add(phoneEntry(1));
    expect((await outbox.status()).pending).toBe(0);

    const kiosk = await DurableOutbox.open(root, { showRefused: false });
    expect((await kiosk.status()).refused).toEqual([]);

    await outbox.dismiss('entree-1-0000');
    expect((await outbox.status()).refused).toEqual([]);
  });

  it('runs one replay at a time: a second call shares the first', async () => {
    const outbox = await DurableOutbox.open(tempRoot(), { showRefused: true });
    await outbox.add(phoneEntry(1));
    const { send, received } = service(202);
    await Promise.all([outbox.replay(send), outbox.replay(send)]);
    expect(received).toHaveLength(1);
  });

  it('drops what a crash left half-written, which was never acknowledged', async () => {
    const root = tempRoot();
    const outbox = await DurableOutbox.open(root, { showRefused: true });
    await outbox.add(phoneEntry(1));
    fs.writeFileSync(path.join(root, 'pending', '.000000000000000-entree-9-0000.json.abc.tmp'), '{"kind":"phone-regis');

    await DurableOutbox.open(root, { showRefused: true });
    expect(fs.readdirSync(path.join(root, 'pending'))).toHaveLength(1);
    expect((await outbox.status()).pending).toBe(1);
  });
});
