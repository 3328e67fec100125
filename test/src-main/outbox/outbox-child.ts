// A desk's process, for the durability tests to kill (SIGKILL) at any moment:
//   write <root>                        keeps adding entries, printing "added <id>" once each is kept
//   replay <root> <serviceUrl> <token>  replays the outbox, printing "done" at the end
import { ServiceClient } from '../../../src-main/connection/service-client.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';
import { DurableOutbox } from '../../../src-main/outbox/outbox.js';
import { phoneEntry } from './fixtures.js';

const [mode, root, serviceUrl, token] = process.argv.slice(2);
if (!root) throw new Error('usage: outbox-child.ts write|replay <root> [serviceUrl token]');
const outbox = await DurableOutbox.open(root, { showRefused: true });

if (mode === 'write') {
  for (let n = 0; ; n++) {
    const entry = phoneEntry(`${process.pid}-${n}`, new Date(Date.UTC(2026, 11, 1) + n).toISOString());
    await outbox.add(entry);
    // Synchronous on a pipe: once the parent reads it, the entry was acknowledged.
    process.stdout.write(`added ${entry.id}\n`);
  }
} else {
  const memory = { read: async () => token ?? null, write: async () => undefined, erase: async () => undefined };
  const session = new SessionToken(memory, serviceUrl ?? '');
  await session.restore();
  const client = new ServiceClient({ serviceUrl: serviceUrl ?? '', session });
  const status = await outbox.replay(client.sendReplay);
  process.stdout.write(`done ${JSON.stringify(status)}\n`);
}
