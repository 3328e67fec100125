import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

// Migrating and loading the 36,000 public bodies takes a second; it is done
// once here, and each test app starts from a copy of that SQLite file.
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-template-'));
  const app = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '' }), { logger: false, startMailWorker: false });
  await app.close();
  project.provide('templateDatabase', path.join(dir, 'guichet.sqlite'));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
