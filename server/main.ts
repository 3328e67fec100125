import type { FastifyBaseLogger } from 'fastify';
import { symbols } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, trustProxyWarning, type Config } from './config.js';
import { SchemaError } from './db/migrate.js';
import { mailDropWarning } from './mail/transport.js';
import { checkStorage, EXIT_CONFIG, StorageError, storageDirectory, storageProblem } from './storage-check.js';

// `npm run serve`: the service and the web UI on one port.
async function main(): Promise<void> {
  // Whatever the service writes (the database, its journals, dropped mail
  // with live links) is its user's alone, even where a file is created by a
  // library that does not say its mode.
  process.umask(0o077);
  const config = loadConfig();
  checkStorage(config);
  const app = await startApp(config);
  for (const warning of [mailDropWarning(config), trustProxyWarning(config)]) if (warning) app.log.warn(warning);
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = config.port === 0 ? address : config.publicUrl;
  afterTheLog(app.log)(
    `\nGuichet est prêt : ${shown}\n` +
      `  base de données : ${app.ctx.databaseKind === 'sqlite' ? config.databaseUrl : 'PostgreSQL'}\n` +
      `  e-mails : ${config.smtpUrl ? 'SMTP' : `déposés dans ${config.mailDropDir}`}\n\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

/**
 * Writes to the console after what the log holds: the log writes
 * asynchronously, so the start-up warnings, logged first, are read before the
 * ready line (by a person, and by whatever waits for that line).
 */
function afterTheLog(log: FastifyBaseLogger): (text: string) => void {
  const stream = (log as unknown as Record<symbol, { write?: (text: string) => unknown } | undefined>)[symbols.streamSym];
  return stream?.write ? (text) => void stream.write!(text) : (text) => void process.stdout.write(text);
}

/** Builds the service; a disk that fills up or turns read-only while the schema is written is reported as such. */
async function startApp(config: Config) {
  try {
    return await buildApp(config);
  } catch (error) {
    const dir = storageDirectory(config);
    throw (dir && storageProblem(error, dir)) || error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaError) {
    process.stderr.write(`Guichet ne peut pas démarrer : ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (error instanceof StorageError) {
    process.stderr.write(`Guichet ne peut pas démarrer : ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`Guichet ne peut pas démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
