import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { SchemaError } from './db/migrate.js';

// `npm run serve`: the service and the web UI on one port.
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = config.port === 0 ? address : config.publicUrl;
  process.stdout.write(
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaError) {
    process.stderr.write(`Guichet ne peut pas démarrer : ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Guichet ne peut pas démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
