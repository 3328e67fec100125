import type { Keychain } from './keychain.js';

// The desk's session with its service. The main process holds it and adds it
// to every call as a bearer token: the renderer never sees it. It lives in
// memory, and in the OS keychain too when the agent chose "rester connecté
// sur ce poste" — never in a file nor in the page's storage.

export class SessionToken {
  private token: string | null = null;
  private remembered = false;

  /** `account` names the service in the keychain: its URL, so that each service keeps its own session. */
  constructor(
    private readonly keychain: Keychain,
    private readonly account: string,
  ) {}

  /** Picks up the session kept by an earlier run, if any. Resolves with whether there was one. */
  async restore(): Promise<boolean> {
    this.token = await this.keychain.read(this.account);
    this.remembered = this.token !== null;
    return this.remembered;
  }

  current(): string | null {
    return this.token;
  }

  /** A new sign-in: the previous session, remembered or not, is replaced. */
  async signedIn(token: string): Promise<void> {
    this.token = token;
    if (this.remembered) await this.remember(false);
  }

  /** Keeps the current session in the keychain, or takes it out. */
  async remember(keep: boolean): Promise<void> {
    if (keep) {
      if (!this.token) throw new Error('Aucune session à conserver : connectez-vous d\'abord.');
      await this.keychain.write(this.account, this.token);
    } else {
      await this.keychain.erase(this.account);
    }
    this.remembered = keep;
  }

  /** Sign-out, or a session the service no longer knows: gone from memory and from the keychain. */
  async forget(): Promise<void> {
    this.token = null;
    if (this.remembered) await this.remember(false);
  }
}
