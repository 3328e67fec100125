import { expect } from '@playwright/test';
import { readMailDrop, setPasswordLink, type ReceivedMail } from '../../support/mail-drop.js';
import { targetOf } from './env.js';

/** Waits for the mail worker to drop a message for `to` whose subject matches, as the person would find it in their mailbox. */
export async function waitForMail(baseURL: string | undefined, to: string, subject: RegExp): Promise<ReceivedMail> {
  const { mailDir } = targetOf(baseURL);
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await readMailDrop(mailDir)).find((m) => m.to === to && subject.test(m.subject));
        return found !== undefined;
      },
      { timeout: 15_000, message: `no email to ${to} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

export { setPasswordLink };
