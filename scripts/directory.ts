import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest, SchemaError } from '../server/db/migrate.js';
import { seedDirectory } from '../server/directory/directory.service.js';
import { ImportError, importSirene, type Progress } from '../server/directory/sirene/import.js';
import { systemClock } from '../server/shared/time.js';

// `npm run directory -- import <files…>`: INSEE's Sirene files into the
// organisation directory of the service's database (same environment).
const USAGE = `Usage : npm run directory -- import <fichiers…>

Importe dans l'annuaire des organismes les fichiers Sirene de l'INSEE au format CSV :
StockUniteLegale (unités légales) et StockEtablissement (établissements), ou les
fichiers de mise à jour mensuels, dans n'importe quel ordre. Utilise la base de
données du service (mêmes variables d'environnement : DATA_DIR, DATABASE_URL, DB_BUSY_TIMEOUT_MS…).
Relancer la même commande ne change rien ; après une interruption, elle reprend.`;

const number = (n: number): string => n.toLocaleString('fr-FR');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function progressBar(started: number): (p: Progress) => void {
  let last = 0;
  let file = '';
  return (p) => {
    const now = Date.now();
    if (file && file !== p.file) process.stderr.write('\n');
    if (file === p.file && now - last < 250 && p.bytesRead < p.bytesTotal) return;
    file = p.file;
    last = now;
    const elapsed = (now - started) / 1000;
    const ratio = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
    const rate = p.rows / Math.max(elapsed, 0.001);
    const eta = ratio > 0 ? (elapsed / ratio) * (1 - ratio) : Infinity;
    const width = 24;
    const bar = '█'.repeat(Math.round(ratio * width)).padEnd(width, '░');
    process.stderr.write(
      `\r${p.kind === 'units' ? 'unités légales ' : 'établissements '} ${bar} ${String(Math.round(ratio * 100)).padStart(3)} %  ${number(p.rows)} lignes  ${number(Math.round(rate))} lignes/s  reste ${duration(eta)}   `,
    );
  };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, ...files] = positionals;
  if (values.help || command !== 'import' || files.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, { busyTimeoutMs: config.dbBusyTimeoutMs });
  try {
    await migrateToLatest(database.db);
    await seedDirectory(database.db);
    const started = Date.now();
    const summary = await importSirene(database, systemClock, files, { onProgress: progressBar(started) });
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    const rejected = Object.entries(summary.rejected);
    process.stdout.write(
      [
        `Import terminé en ${duration(seconds)} : ${number(summary.rowsRead)} lignes lues (${number(Math.round(summary.rowsRead / Math.max(seconds, 0.001)))} lignes/s)` +
          (summary.resumedFrom > 0 ? `, reprise après ${number(summary.resumedFrom)} lignes déjà traitées.` : '.'),
        `  organismes ajoutés      ${number(summary.inserted)}`,
        `  organismes mis à jour   ${number(summary.updated)}`,
        `  organismes fermés       ${number(summary.closed)}`,
        `  inchangés               ${number(summary.unchanged)}`,
        `  établissements secondaires ignorés  ${number(summary.skipped)}`,
        `  lignes rejetées         ${number(rejected.reduce((n, [, c]) => n + c, 0))}`,
        ...rejected.map(([reason, n]) => `    - ${reason} : ${number(n)}`),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ImportError || error instanceof ConfigError || error instanceof SchemaError) {
      process.stderr.write(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  },
);
