import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.js';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { searchDirectory } from '../../../server/directory/directory.service.js';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { systemClock } from '../../../server/shared/time.js';
import { generateSirene } from '../../bench/generate-sirene.js';
import { tempDir } from '../../support/test-database.js';

// The SQLite file itself: PostgreSQL has no file to compact (its project leaves this test out).
describe('the SQLite file after a first import of the stock', () => {
  it('does not keep the emptied staging tables as free pages, and still finds what it imported', { timeout: 60_000 }, async () => {
    const dir = tempDir('guichet-compact-');
    const generated = await generateSirene(path.join(dir, 'sirene'), 20_000);
    const database = openDatabase(path.join(dir, 'g.sqlite'));
    try {
      await migrateToLatest(database.db);
      await importSirene(database, systemClock, [generated.units, generated.establishments]);
      const { rows } = await sql<{ free: number; pages: number }>`
        SELECT (SELECT freelist_count FROM pragma_freelist_count()) AS free, (SELECT page_count FROM pragma_page_count()) AS pages`.execute(database.db);
      expect(rows[0]!.free / rows[0]!.pages).toBeLessThan(0.05);
      const found = await searchDirectory(database.db, 'sqlite', generated.sirens[0]!, 1);
      expect(found.results.map((r) => r.siren)).toEqual([generated.sirens[0]]);
      expect((await searchDirectory(database.db, 'sqlite', generated.rareWords[0]!, 1)).total).toBe(1);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
