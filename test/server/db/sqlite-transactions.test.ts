import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.js';
import { tempDir } from '../../support/test-database.js';

// Another process (a second service instance, `npm run admin`, an import)
// writes to the SQLite file while a transaction of this one is open.
it('a transaction on SQLite survives another process writing to the file meanwhile: the other waits its turn', async () => {
  const dir = tempDir('guichet-sqlite-trx-');
  const file = path.join(dir, 'g.sqlite');
  const { db, close } = openDatabase(file);
  try {
    await sql`CREATE TABLE notes (author TEXT NOT NULL)`.execute(db);
    let other: Promise<number | null> | null = null;
    await db.transaction().execute(async (trx) => {
      await sql`SELECT count(*) FROM notes`.execute(trx);
      const child = spawn(
        process.execPath,
        ['-e', `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(file)}, { timeout: 10000 }); db.prepare("INSERT INTO notes VALUES ('other')").run();`],
        { stdio: 'inherit' },
      );
      other = new Promise((resolve) => child.once('exit', resolve));
      // Long enough for the other process to start and try its write.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await sql`INSERT INTO notes VALUES ('this')`.execute(trx);
    });
    expect(await other).toBe(0);
    const { rows } = await sql<{ author: string }>`SELECT author FROM notes ORDER BY author`.execute(db);
    expect(rows.map((r) => r.author)).toEqual(['other', 'this']);
  } finally {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
