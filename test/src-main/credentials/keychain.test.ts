import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Against a real Secret Service (gnome-keyring), started privately for this
// test by test/support/with-secret-service.sh. Without it the test fails and
// says what to install: CI installs it (.ci/run), and a skipped keychain test
// would hide a desk that cannot keep its session.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const probe = fileURLToPath(new URL('./keychain-probe.ts', import.meta.url));

describe('the session keychain (keytar on a real Secret Service)', () => {
  it('keeps one session per service URL, finds it on the next run, and removes it at sign-out; keeps the kiosk key apart', () => {
    const run = spawnSync('sh', ['test/support/with-secret-service.sh', process.execPath, '--import', 'tsx', probe], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) {
      throw new Error(
        [
          `Le test du trousseau n'a pas pu parler à un Secret Service (code ${run.status ?? run.signal}).`,
          'Il a besoin de gnome-keyring et de D-Bus : apt-get install -y gnome-keyring dbus dbus-x11 libsecret-tools',
          run.stderr.trim(),
        ].join('\n'),
      );
    }
    const observed = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(observed).toEqual({
      perService: { central: 'jeton-central', local: 'jeton-local', seenByLibsecret: 'jeton-central' },
      afterErase: { central: null, local: 'jeton-local' },
      restored: { found: true, token: 'jeton-de-session-tres-long-0123456789' },
      plaintextFiles: [],
      afterSignOut: { found: false, seenByLibsecret: null },
      ephemeral: { inKeychain: null },
      kioskKey: {
        restored: 'cle-de-borne-0123456789abcdefghijklmnopqrstu',
        seenByLibsecret: 'cle-de-borne-0123456789abcdefghijklmnopqrstu',
        amongSessions: null,
        afterClear: null,
      },
    });
  }, 90_000);
});
