import fp from 'fastify-plugin';
import type { AppContext } from '../context.js';
import { startHousekeeping } from '../housekeeping.js';
import type { MailWorker } from '../mail/mail.worker.js';
import type { MailTransport } from '../mail/transport.js';

interface BackgroundWork {
  ctx: AppContext;
  worker: MailWorker;
  transport: MailTransport;
  /** False in tests, which deliver mail themselves (app.mailWorker.deliverDue()) and leave housekeeping off. */
  start: boolean;
}

/** Mail delivery and housekeeping, from the moment the service is ready until it closes. */
export const backgroundWork = fp<BackgroundWork>(async (app, { ctx, worker, transport, start }) => {
  let stopHousekeeping = (): void => undefined;
  app.addHook('onReady', async () => {
    if (!start) return;
    worker.start();
    stopHousekeeping = startHousekeeping(ctx, app.log);
  });
  app.addHook('onClose', async () => {
    stopHousekeeping();
    await worker.stop();
    transport.close();
  });
});
