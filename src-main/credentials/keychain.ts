// The OS keychain (Keychain on macOS, Credential Manager on Windows, the
// Secret Service on Linux) through keytar. Two secrets go there, one entry per
// service URL each, never a password: the desk's session token, and the key
// of an enrolled kiosk.

export const KEYCHAIN_SERVICE = 'fr.anru.guichet.session';
export const KIOSK_KEYCHAIN_SERVICE = 'fr.anru.guichet.kiosk';

export interface Keychain {
  read(account: string): Promise<string | null>;
  write(account: string, secret: string): Promise<void>;
  erase(account: string): Promise<void>;
}

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Le trousseau du système est indisponible (${cause instanceof Error ? cause.message : String(cause)}).`);
    this.name = 'KeychainUnavailableError';
  }
}

type Keytar = typeof import('keytar');

let keytar: Promise<Keytar> | null = null;

// Loaded on first use: a Linux desk without libsecret still starts, only without "rester connecté".
async function loadKeytar(): Promise<Keytar> {
  keytar ??= import('keytar').then((module) => ('default' in module ? (module.default as Keytar) : module));
  return keytar;
}

async function attempt<T>(operation: (k: Keytar) => Promise<T>): Promise<T> {
  try {
    return await operation(await loadKeytar());
  } catch (error) {
    throw new KeychainUnavailableError(error);
  }
}

function keychainOf(service: string): Keychain {
  return {
    read: (account) => attempt((k) => k.getPassword(service, account)),
    write: (account, secret) => attempt((k) => k.setPassword(service, account, secret)),
    erase: (account) => attempt(async (k) => void (await k.deletePassword(service, account))),
  };
}

/** The sessions in the keychain of the user running the app. */
export const osKeychain: Keychain = keychainOf(KEYCHAIN_SERVICE);

/** The kiosk keys there: under a service name of their own, so that signing out never touches them. */
export const kioskKeychain: Keychain = keychainOf(KIOSK_KEYCHAIN_SERVICE);
