import { expect } from '@playwright/test';
import { readMailDrop, setPasswordLink, type ReceivedMail } from '../../support/mail-drop.js';
import { E2E_MAIL_DIR } from './env.js';

/** Waits for the mail worker to drop a message for `to` whose subject matches, as the person would find it in their mailbox. */
export async function waitForMail(to: string, subject: RegExp): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await readMailDrop(E2E_MAIL_DIR)).find((m) => m.to === to && subject.test(m.subject));
        return found !== undefined;
      },
      { timeout: 15_000, message: `no email to ${to} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

export { setPasswordLink };
