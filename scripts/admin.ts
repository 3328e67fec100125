import { parseArgs } from 'node:util';
import { ValidationError } from 'yup';
import { staffAccountSchema } from '../common/staff/schemas.js';
import { randomCaptchaText } from '../server/captcha/captcha.service.js';
import { ConfigError, loadConfig } from '../server/config.js';
import type { AppContext } from '../server/context.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest, SchemaError } from '../server/db/migrate.js';
import { DomainError } from '../server/http/errors.js';
import { systemClock } from '../server/shared/time.js';
import { createStaff } from '../server/staff/staff-accounts.service.js';

// `npm run admin -- create-user --email … --role admin --first-name … --last-name …`
// creates a staff account on the same database as the service (same
// environment variables) and prints its set-password link.
const USAGE = `Usage : npm run admin -- create-user --email <adresse> --role <agent|approver|admin> --first-name <prénom> --last-name <nom>

Crée un compte du personnel sur la base de données du service (mêmes variables
d'environnement : DATA_DIR, DATABASE_URL, PUBLIC_URL…) et affiche le lien qui
permet à la personne de définir son mot de passe. Le même lien lui est envoyé par
e-mail dès que le service tourne.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'create-user') {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const input = staffAccountSchema.validateSync(
    { email: values.email, role: values.role, firstName: values['first-name'], lastName: values['last-name'] },
    { abortEarly: false },
  );
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = {
      config,
      db: database.db,
      databaseKind: database.kind,
      bulkAppend: database.bulkAppend,
      clock: systemClock,
      mailQueued: () => undefined,
      captchaText: randomCaptchaText,
    };
    const { account, link } = await createStaff(ctx, 'system', input);
    process.stdout.write(
      `Compte créé : ${account.firstName} ${account.lastName} <${account.email}>, rôle ${account.role}.\n` +
        `Lien pour définir le mot de passe (valable ${config.tokenTtlHours} h, à usage unique) :\n${link}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ValidationError) {
      process.stderr.write(`${[...new Set(error.errors)].join('\n')}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof DomainError || error instanceof ConfigError || error instanceof SchemaError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  },
);
