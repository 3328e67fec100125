// Run by keychain.test.ts under test/support/with-secret-service.sh: the
// desktop app's keychain code against a real Secret Service. Prints one JSON
// line with what it observed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KEYCHAIN_SERVICE, KIOSK_KEYCHAIN_SERVICE, kioskKeychain, osKeychain } from '../../../src-main/credentials/keychain.js';
import { KioskKey } from '../../../src-main/credentials/kiosk-key.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';

const CENTRAL = 'https://guichet.anru.fr';
const LOCAL = 'http://127.0.0.1:4788';

/** What another program (libsecret's own tool) finds in the Secret Service. */
function lookup(account: string, service = KEYCHAIN_SERVICE): string | null {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', service, 'account', account], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}

await osKeychain.write(CENTRAL, 'jeton-central');
await osKeychain.write(LOCAL, 'jeton-local');
const perService = { central: await osKeychain.read(CENTRAL), local: await osKeychain.read(LOCAL), seenByLibsecret: lookup(CENTRAL) };
await osKeychain.erase(CENTRAL);
const afterErase = { central: await osKeychain.read(CENTRAL), local: await osKeychain.read(LOCAL) };
await osKeychain.erase(LOCAL);

// "Rester connecté": one run of the app keeps its session, the next picks it up, sign-out removes it.
const firstRun = new SessionToken(osKeychain, CENTRAL);
await firstRun.signedIn('jeton-de-session-tres-long-0123456789');
await firstRun.remember(true);
const secondRun = new SessionToken(osKeychain, CENTRAL);
const restored = { found: await secondRun.restore(), token: secondRun.current() };
const plaintextFiles = filesContaining(process.env.HOME ?? '/nonexistent', 'jeton-de-session-tres-long-0123456789');
await secondRun.forget();
const thirdRun = new SessionToken(osKeychain, CENTRAL);
const afterSignOut = { found: await thirdRun.restore(), seenByLibsecret: lookup(CENTRAL) };

// Signed in without "rester connecté": nothing reaches the keychain.
const notRemembered = new SessionToken(osKeychain, LOCAL);
await notRemembered.signedIn('jeton-ephemere');
const ephemeral = { inKeychain: await osKeychain.read(LOCAL) };

// A kiosk's key: under a service name of its own, untouched by a sign-out, found by the next run, cleared on request.
const KIOSK_KEY = 'cle-de-borne-0123456789abcdefghijklmnopqrstu';
await new KioskKey(kioskKeychain, CENTRAL).replace(KIOSK_KEY);
const signedOut = new SessionToken(osKeychain, CENTRAL);
await signedOut.signedIn('jeton-a-la-borne');
await signedOut.remember(true);
await signedOut.forget();
const nextRun = new KioskKey(kioskKeychain, CENTRAL);
await nextRun.restore();
const kioskKey = { restored: nextRun.current(), seenByLibsecret: lookup(CENTRAL, KIOSK_KEYCHAIN_SERVICE), amongSessions: lookup(CENTRAL), afterClear: '' as string | null };
await nextRun.replace(null);
kioskKey.afterClear = lookup(CENTRAL, KIOSK_KEYCHAIN_SERVICE);

process.stdout.write(`${JSON.stringify({ perService, afterErase, restored, plaintextFiles, afterSignOut, ephemeral, kioskKey })}\n`);
