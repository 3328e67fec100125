import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// Every table, parents before children, with the column that orders its rows.
export const TABLES: { name: keyof Database; key: string }[] = [
  { name: 'organisations', key: 'siren' },
  { name: 'search_words', key: 'word' },
  { name: 'trust_rules', key: 'id' },
  { name: 'organisation_domains', key: 'id' },
  { name: 'rejection_reasons', key: 'id' },
  { name: 'accounts', key: 'id' },
  { name: 'kiosk_devices', key: 'id' },
  { name: 'registrations', key: 'id' },
  { name: 'tokens', key: 'id' },
  { name: 'sessions', key: 'id' },
  { name: 'captcha_challenges', key: 'id' },
  { name: 'service_secrets', key: 'name' },
  { name: 'proof_of_work_spent', key: 'id' },
  { name: 'outbox', key: 'id' },
  { name: 'audit_events', key: 'id' },
  { name: 'sign_in_throttle', key: 'client' },
  { name: 'rate_limit_hits', key: 'key' },
  { name: 'mail_quotas', key: 'recipient' },
  { name: 'staging_units', key: 'siren' },
  { name: 'staging_head_offices', key: 'siren' },
  { name: 'staging_words', key: 'word' },
  { name: 'directory_imports', key: 'file_key' },
];

// Columns a database computes itself (PostgreSQL's full-text vector): neither copied nor compared.
const COMPUTED_COLUMNS = new Set(['search_vector']);

const BATCH = 500;
type Row = Record<string, unknown>;
type AnyDb = Kysely<any>;

async function* rowsOf(db: AnyDb, table: string, key: string): AsyncGenerator<Row[]> {
  let after: unknown = null;
  for (;;) {
    let query = db.selectFrom(table).selectAll().orderBy(key).limit(BATCH);
    if (after !== null) query = query.where(key, '>', after);
    const rows: Row[] = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]![key];
  }
}

/** Rows in key order, each as JSON of its columns in name order: the same on SQLite and PostgreSQL. */
export async function tableDigest(db: AnyDb, table: string, key: string): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const batch of rowsOf(db, table, key)) {
    for (const row of batch) {
      const canonical = Object.keys(row)
        .filter((column) => !COMPUTED_COLUMNS.has(column))
        .sort()
        .map((column) => [column, typeof row[column] === 'bigint' ? Number(row[column]) : row[column]]);
      hash.update(JSON.stringify(canonical)).update('\n');
      rows++;
    }
  }
  return { rows, sha256: hash.digest('hex') };
}

export interface TableReport {
  table: string;
  rows: number;
  sourceSha256: string;
  targetSha256: string;
}

export class CopyError extends Error {}

/**
 * Copies every row of a desk's database into another (typically SQLite into a
 * central PostgreSQL), in one transaction on the target, then compares row
 * counts and checksums table by table.
 */
export async function copyDatabase(
  source: Kysely<Database>,
  target: Kysely<Database>,
  options: { replace: boolean; onTable?: (table: string, rows: number) => void },
): Promise<TableReport[]> {
  await target.transaction().execute(async (trx) => {
    for (const { name } of TABLES) {
      const existing = await trx.selectFrom(name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(existing.n) === 0) continue;
      if (!options.replace) {
        throw new CopyError(
          `La base de destination contient déjà des données (table ${name} : ${existing.n} lignes). ` +
            'Copiez vers une base vide, ou ajoutez --replace pour remplacer son contenu.',
        );
      }
    }
    if (options.replace) {
      for (const { name } of [...TABLES].reverse()) await trx.deleteFrom(name).execute();
    }
    for (const { name, key } of TABLES) {
      let copied = 0;
      for await (const batch of rowsOf(source, name, key)) {
        await (trx as AnyDb).insertInto(name).values(batch).execute();
        copied += batch.length;
      }
      options.onTable?.(name, copied);
    }
  });
  const reports: TableReport[] = [];
  for (const { name, key } of TABLES) {
    const [from, to] = await Promise.all([tableDigest(source, name, key), tableDigest(target, name, key)]);
    if (from.rows !== to.rows || from.sha256 !== to.sha256) {
      throw new CopyError(`Vérification échouée pour la table ${name} : ${from.rows} lignes copiées, ${to.rows} trouvées, empreintes différentes.`);
    }
    reports.push({ table: name, rows: to.rows, sourceSha256: from.sha256, targetSha256: to.sha256 });
  }
  return reports;
}
