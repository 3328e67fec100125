import fs from 'node:fs';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { seedDirectory } from '../../server/directory/directory.service.js';
import { importSirene } from '../../server/directory/sirene/import.js';
import { systemClock } from '../../server/shared/time.js';

// Imports Sirene files into a database in a process of its own, so that its
// peak memory is the import's alone; prints one JSON line of figures.
const [databaseUrl, ...files] = process.argv.slice(2);
if (!databaseUrl || files.length === 0) throw new Error('usage: import-child <database> <files…>');
const database = openDatabase(databaseUrl);
await migrateToLatest(database.db);
await seedDirectory(database.db);
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const started = process.hrtime.bigint();
const summary = await importSirene(database, systemClock, files);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
await database.close();
const inputBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
process.stdout.write(
  `${JSON.stringify({ rows: summary.rowsRead, seconds, rowsPerSecond: summary.rowsRead / seconds, peakRssMiB: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20, inputMiB: inputBytes / 2 ** 20, summary })}\n`,
);
