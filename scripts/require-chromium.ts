import { findChromium, MISSING_CHROMIUM } from '../test/support/chromium.js';

// Run first by `npm test`, so a missing browser stops the run at once with
// the way to get one, rather than after the unit tests.
const found = findChromium();
if (!found) {
  process.stderr.write(`${MISSING_CHROMIUM}\n`);
  process.exit(1);
}
process.stdout.write(`Chromium : ${found}\n`);
