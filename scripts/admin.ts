import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ValidationError } from 'yup';
import { staffAccountSchema } from '../common/staff/schemas.js';
import { randomCaptchaText } from '../server/captcha/captcha.service.js';
import { ConfigError, loadConfig } from '../server/config.js';
import type { AppContext } from '../server/context.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest, SchemaError } from '../server/db/migrate.js';
import { DomainError } from '../server/shared/domain-error.js';
import { systemClock } from '../server/shared/time.js';
import { createStaff } from '../server/staff/staff-accounts.service.js';
import { importVerifiedDomains } from '../server/trust/domains-import.js';

// `npm run admin -- create-user …` creates a staff account on the same
// database as the service (same environment variables) and prints its
// set-password link; `npm run admin -- import-domains …` verifies email
// domains for organisations from a CSV file.
const USAGE = `Usage :
  npm run admin -- create-user --email <adresse> --role <agent|approver|admin> --first-name <prénom> --last-name <nom>
  npm run admin -- import-domains --file <fichier.csv> --reason <comment ces domaines ont été vérifiés>

create-user crée un compte du personnel sur la base de données du service (mêmes
variables d'environnement : DATA_DIR, DATABASE_URL, PUBLIC_URL…) et affiche le lien
qui permet à la personne de définir son mot de passe. Le même lien lui est envoyé
par e-mail dès que le service tourne.

import-domains vérifie des domaines de messagerie pour des organismes de l'annuaire :
une ligne « siren;domaine » par domaine (une ligne d'en-tête est permise). Les
messageries grand public (gmail.com, orange.fr…) sont refusées, comme les SIREN
absents de l'annuaire ; chaque ligne refusée est signalée avec son numéro.`;

const DOMAINS_REASON_MISSING = 'Indiquez avec --reason comment ces domaines ont été vérifiés (5 caractères au moins).';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      file: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== 'create-user' && command !== 'import-domains')) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'import-domains') {
    const reason = values.reason?.trim() ?? '';
    if (!values.file || reason.length < 5) {
      process.stderr.write(`${values.file ? DOMAINS_REASON_MISSING : 'Indiquez le fichier avec --file.'}\n\n${USAGE}\n`);
      return 2;
    }
    let csv: string;
    try {
      csv = fs.readFileSync(values.file, 'utf8');
    } catch (error) {
      process.stderr.write(`Impossible de lire le fichier ${values.file} : ${(error as Error).message}\n`);
      return 1;
    }
    return withContext(async (ctx) => {
      const report = await importVerifiedDomains(ctx, csv, reason.slice(0, 500));
      for (const { line, message } of report.rejected) process.stderr.write(`Ligne ${line} : ${message}\n`);
      process.stdout.write(
        `Domaines vérifiés : ${report.added} ajoutés, ${report.alreadyVerified} déjà vérifiés, ${report.rejected.length} lignes refusées.\n`,
      );
      return report.rejected.length > 0 ? 1 : 0;
    });
  }
  const input = staffAccountSchema.validateSync(
    { email: values.email, role: values.role, firstName: values['first-name'], lastName: values['last-name'] },
    { abortEarly: false },
  );
  return withContext(async (ctx) => {
    const { account, link } = await createStaff(ctx, 'system', input);
    process.stdout.write(
      `Compte créé : ${account.firstName} ${account.lastName} <${account.email}>, rôle ${account.role}.\n` +
        `Lien pour définir le mot de passe (valable ${ctx.config.tokenTtlHours} h, à usage unique) :\n${link}\n`,
    );
    return 0;
  });
}

/** Runs `use` on the service's database (same settings as the service), migrated to the latest schema. */
async function withContext(use: (ctx: AppContext) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, { busyTimeoutMs: config.dbBusyTimeoutMs });
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
    return await use(ctx);
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
