import fs from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import Papa from 'papaparse';

// The import's baseline: what SQLite's own `.import` does with the same
// files, done through node:sqlite so that `npm run bench` needs nothing
// beyond `npm install` (the sqlite3 command-line tool may be missing). Each
// file goes as it is, every column as text, into a table of its own, by one
// prepared statement in one transaction; then one FTS5 index on the names and
// the two identifier indexes (SIREN, SIRET). No folding, no ranking, no
// staging, no merge: a floor for the Guichet's import, not a rival to it.
// Prints one JSON line of figures, like import-child.ts.
const [database, unitsFile, establishmentsFile] = process.argv.slice(2);
if (!database || !unitsFile || !establishmentsFile) throw new Error('usage: bare-import-child <database> <units.csv> <establishments.csv>');

const db = new DatabaseSync(database);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

/** Streams a CSV file into a new table named `table`, its columns the header's; returns the rows loaded. */
async function load(file: string, table: string): Promise<number> {
  let insert: StatementSync | null = null;
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(fs.createReadStream(file, { highWaterMark: 1 << 20 }), {
      skipEmptyLines: true,
      newline: '\n',
      step: ({ data }) => {
        if (!insert) {
          db.exec(`CREATE TABLE ${table} (${data.map((c) => `"${c}" TEXT`).join(', ')})`);
          insert = db.prepare(`INSERT INTO ${table} VALUES (${data.map(() => '?').join(', ')})`);
          return;
        }
        insert.run(...data);
        rows++;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return rows;
}

const started = process.hrtime.bigint();
db.exec('BEGIN');
const rows = (await load(unitsFile, 'units')) + (await load(establishmentsFile, 'establishments'));
db.exec(`CREATE VIRTUAL TABLE names USING fts5(name, content='')`);
db.exec(`INSERT INTO names (rowid, name) SELECT rowid, coalesce(nullif(denominationUniteLegale, ''), nomUniteLegale || ' ' || prenom1UniteLegale) FROM units`);
db.exec('CREATE INDEX units_siren ON units (siren)');
db.exec('CREATE INDEX establishments_siret ON establishments (siret)');
db.exec('COMMIT');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
db.close();
process.stdout.write(
  `${JSON.stringify({ rows, seconds, rowsPerSecond: rows / seconds, peakRssMiB: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20 })}\n`,
);
