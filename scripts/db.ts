import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, readSetting } from '../server/config.js';
import { CopyError, copyDatabase } from '../server/db/copy.js';
import { isPostgresUrl, openDatabase } from '../server/db/database.js';
import { migrateToLatest, SchemaError } from '../server/db/migrate.js';

// `npm run db -- copy --from <sqlite file> --to <postgres url>`: moves a
// desk's embedded data to a central service, verified by counts and checksums.
const USAGE = `Usage : npm run db -- copy --from <fichier SQLite> --to <postgres://…> [--replace]

Copie toutes les données d'un poste (sa base SQLite) vers une autre base, en
général le PostgreSQL d'un service central, puis vérifie chaque table (nombre
de lignes et empreinte SHA-256). Arrêtez le service du poste pendant la copie.
La base de destination doit être vide, sauf avec --replace qui remplace son contenu.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals[0] !== 'copy' || !values.from || !values.to) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (!isPostgresUrl(values.from) && !fs.existsSync(values.from)) {
    process.stderr.write(`Le fichier source ${values.from} n'existe pas.\n`);
    return 1;
  }
  // The service's own wait for a lock held elsewhere: a desk's service left running holds its file.
  const busyTimeoutMs = readSetting('DB_BUSY_TIMEOUT_MS');
  const source = openDatabase(values.from, { busyTimeoutMs });
  const target = openDatabase(values.to, { busyTimeoutMs });
  try {
    // Both sides at this version's schema: the copy is column for column.
    await migrateToLatest(source.db);
    await migrateToLatest(target.db);
    process.stdout.write(`Copie de ${values.from} vers ${target.kind === 'postgres' ? 'PostgreSQL' : values.to}…\n`);
    const started = Date.now();
    const reports = await copyDatabase(source.db, target.db, {
      replace: values.replace,
      onTable: (table, rows) => process.stdout.write(`  ${table.padEnd(20)} ${String(rows).padStart(9)} lignes copiées\n`),
    });
    process.stdout.write('\nVérification (lignes, SHA-256) :\n');
    for (const r of reports) process.stdout.write(`  ${r.table.padEnd(20)} ${String(r.rows).padStart(9)}  ${r.targetSha256.slice(0, 16)}…  identique\n`);
    process.stdout.write(`\nCopie terminée et vérifiée en ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } finally {
    await source.close();
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CopyError || error instanceof SchemaError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  },
);
