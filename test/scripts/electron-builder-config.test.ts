import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

// The installers' Electron binary has its fuses set so that the packed app
// cannot be turned into a plain Node.js interpreter or debugger by whoever
// can set an environment variable or a command-line flag on the desk's
// machine, and runs only the code of its signed archive.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = path.join(ROOT, 'build/electron-builder.yml');

/** The configuration as `npm run dist` gives it to electron-builder, checked against the installed electron-builder's own schema. */
async function builderConfig() {
  const config = await getConfig(ROOT, CONFIG, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('the installers built by electron-builder', () => {
  it('flip the Electron fuses that turn off Node-style entry points and load only the integrity-checked asar', async () => {
    const config = await builderConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    // onlyLoadAppFromAsar needs the app packed in an asar archive.
    expect(config.asar ?? true).not.toBe(false);
  });

  it('start the service as a utility process, which works without ELECTRON_RUN_AS_NODE', () => {
    const sources = fs.readdirSync(path.join(ROOT, 'src-main'), { recursive: true, encoding: 'utf8' }).filter((file) => /\.c?ts$/.test(file));
    const text = sources.map((file) => fs.readFileSync(path.join(ROOT, 'src-main', file), 'utf8')).join('\n');
    expect(text).toContain('utilityProcess.fork(');
    expect(text).not.toMatch(/ELECTRON_RUN_AS_NODE|child_process['"]\)?[^\n]*\bfork\b|\bfork\s*\(\s*process\.execPath/);
  });
});
