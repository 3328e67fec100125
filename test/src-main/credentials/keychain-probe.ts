// Run by keychain.test.ts under test/support/with-secret-service.sh: the
// desktop app's keychain code against a real Secret Service. Prints one JSON
// line with what it observed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KEYCHAIN_SERVICE, osKeychain } from '../../../src-main/credentials/keychain.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';

const CENTRAL = 'https://guichet.anru.fr';
const LOCAL = 'http://127.0.0.1:4788';

/** What another program (libsecret's own tool) finds in the Secret Service. */
function lookup(account: string): string | null {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'account', account], { encoding: 'utf8' });
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

process.stdout.write(`${JSON.stringify({ perService, afterErase, restored, plaintextFiles, afterSignOut, ephemeral })}\n`);
