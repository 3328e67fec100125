import type { ReplayRequest } from '../../common/outbox/outbox.js';
import { KIOSK_KEY_HEADER } from '../../common/registration/offline.js';
import type { KioskKey } from '../credentials/kiosk-key.js';
import type { SessionToken } from '../credentials/session-token.js';
import type { ReplayAnswer } from '../outbox/outbox.js';

// Every call from the desktop app to its service goes through here, from the
// main process: the renderer's API calls (through the app protocol) and the
// outbox's replays. The session token and the kiosk key are added here and
// nowhere else; the kiosk key only to a kiosk's applicants' requests.

export interface ServiceCall {
  method: string;
  headers: Record<string, string>;
  body?: ArrayBuffer | string | null;
  /** Sign-in carries credentials, not a session: it must not carry the current token. */
  withSession?: boolean;
  /** An applicant's request typed at this kiosk: the kiosk's key goes with it, when this machine has one. */
  withKioskKey?: boolean;
}

export interface ServiceClientOptions {
  /** Origin (and optional path prefix) of the service, without a trailing slash. */
  serviceUrl: string;
  session: SessionToken;
  /** Absent: this machine was never given one. */
  kioskKey?: KioskKey;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Keychain trouble is not the caller's problem: it is reported here. */
  onKeychainError?: (error: unknown) => void;
}

export class ServiceClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ServiceClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  get serviceUrl(): string {
    return this.options.serviceUrl;
  }

  /** Calls `/api/<path>` on the service; null when it could not be reached or did not answer in time. */
  async call(path: string, call: ServiceCall): Promise<Response | null> {
    const headers = { ...call.headers };
    const token = call.withSession === false ? null : this.options.session.current();
    if (token) headers.authorization = `Bearer ${token}`;
    const kioskKey = call.withKioskKey ? (this.options.kioskKey?.current() ?? null) : null;
    if (kioskKey) headers[KIOSK_KEY_HEADER] = kioskKey;
    let response: Response;
    try {
      response = await this.fetch(`${this.options.serviceUrl}/api/${path}`, {
        method: call.method,
        headers,
        body: call.body ?? null,
        // A redirect would take the token elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch {
      return null;
    }
    // The service no longer knows this session (expired, signed out elsewhere): keep nothing of it.
    if (response.status === 401 && token) await this.forgetSession();
    return response;
  }

  /** Forgets the session, in memory for sure, in the keychain if it can be reached. */
  async forgetSession(): Promise<void> {
    try {
      await this.options.session.forget();
    } catch (error) {
      this.options.onKeychainError?.(error);
    }
  }

  /** A new sign-in: the token is kept even if the keychain cannot drop the previous one. */
  async sessionStarted(token: string): Promise<void> {
    try {
      await this.options.session.signedIn(token);
    } catch (error) {
      this.options.onKeychainError?.(error);
    }
  }

  /** Sends one kept request of the outbox. */
  readonly sendReplay = async (request: ReplayRequest): Promise<ReplayAnswer> => {
    const headers: Record<string, string> = { ...request.headers, 'content-type': 'application/json', accept: 'application/json' };
    if (request.credential === 'kiosk-key') {
      const key = this.options.kioskKey?.current() ?? null;
      // The service would answer 401: the applicant's data need not leave this machine for that.
      if (!key) return { status: 401, body: null };
      headers[KIOSK_KEY_HEADER] = key;
    }
    const response = await this.call(request.path, {
      method: 'POST',
      headers,
      body: JSON.stringify(request.body),
      // An applicant's request goes on the kiosk's word alone, not under whoever is signed in at this desk.
      withSession: request.credential === 'session',
    });
    if (!response) return { status: null, body: null };
    const body: unknown = await response.json().catch(() => null);
    return { status: response.status, body };
  };
}
