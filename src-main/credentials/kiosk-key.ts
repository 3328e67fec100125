import type { Keychain } from './keychain.js';

// The key an admin got when enrolling this kiosk on its service: with it, the
// outbox's replays of applicants' requests are taken without a captcha. It is
// pasted once in the settings (at a desk, i.e. started with --no-kiosk), kept
// in the OS keychain under the service's URL, and read by the main process
// only: the page can set or clear it, never read it back.

export class KioskKey {
  private key: string | null = null;

  /** `account` names the service in the keychain: its URL, as a key is only good for the service that issued it. */
  constructor(
    private readonly keychain: Keychain,
    private readonly account: string,
  ) {}

  /** Picks up the key kept by an earlier run, if any. */
  async restore(): Promise<void> {
    this.key = await this.keychain.read(this.account);
  }

  current(): string | null {
    return this.key;
  }

  isSet(): boolean {
    return this.key !== null;
  }

  /** Keeps a new key, or (null) takes the kept one out; in the keychain first, so that memory never claims more than it holds. */
  async replace(key: string | null): Promise<void> {
    if (key === null) await this.keychain.erase(this.account);
    else await this.keychain.write(this.account, key);
    this.key = key;
  }
}
