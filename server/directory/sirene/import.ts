import fs from 'node:fs';
import path from 'node:path';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { BulkAppend } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../shared/time.js';
import { refreshSearchIndex } from '../directory.repository.js';
import { PUBLIC_BODIES_SOURCE } from '../public-bodies.js';
import { addStagedWordDeletes } from '../word-deletes.js';
import { ESTABLISHMENT_COLUMNS, foldEstablishmentsIntoUnits } from './establishments.js';
import { SireneParser } from './parser.js';
import { fileKindOf, HEAD_OFFICE_COLUMNS, UNIT_COLUMNS, type FileKind } from './rows.js';

// Importing Sirene files in two phases. Staging streams each file into
// staging tables in batches, recording after each batch how far it got, so
// an interrupted import resumes where it stopped. Applying then merges the
// staged rows into the directory in one transaction: searches see the old
// directory until the new one is complete.
export const SIRENE_SOURCE = 'sirene';
// Rows per staging transaction: an interrupted import resumes at the last
// one written.
const DEFAULT_BATCH = 2500;

export class ImportError extends Error {}

export interface Progress {
  file: string;
  kind: FileKind;
  rows: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface ImportSummary {
  rowsRead: number;
  inserted: number;
  updated: number;
  closed: number;
  unchanged: number;
  /** Establishments other than head offices: they add nothing to the directory. */
  skipped: number;
  rejected: Record<string, number>;
  resumedFrom: number;
}

interface FileToImport {
  file: string;
  key: string;
  kind: FileKind;
  size: number;
}

async function headerOf(file: string): Promise<string[]> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', end: 64 * 1024 });
  let text = '';
  for await (const chunk of stream) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  stream.destroy();
  return (text.split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '').split(',').map((c) => c.replace(/^"|"$/g, '').trim());
}

async function describe(file: string): Promise<FileToImport> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ImportError(`Le fichier ${file} est introuvable.`);
  }
  const kind = fileKindOf(await headerOf(file));
  if (!kind) {
    throw new ImportError(
      `${path.basename(file)} n'est pas un fichier Sirene reconnu : attendu StockUniteLegale (colonnes siren, categorieJuridiqueUniteLegale…) ou StockEtablissement (siret, etablissementSiege…), au format CSV.`,
    );
  }
  // Size and modification time identify the file's content well enough to resume it.
  return { file, key: `${path.resolve(file)}|${stat.size}|${Math.floor(stat.mtimeMs)}`, kind, size: stat.size };
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
}

interface ImportOptions {
  onProgress?: (p: Progress) => void;
  /** Rows per staging transaction (and between two progress reports). */
  batchSize?: number;
}

/** What an import needs of the database: Kysely, and a fast way to append staging rows. */
export interface ImportTarget {
  db: Kysely<Database>;
  bulkAppend: BulkAppend;
}

async function stageFile(
  store: ImportTarget,
  clock: Clock,
  parser: SireneParser,
  target: FileToImport,
  summary: ImportSummary,
  options: ImportOptions,
): Promise<void> {
  const { db, bulkAppend } = store;
  const onProgress = options.onProgress ?? (() => undefined);
  const known = await db.selectFrom('directory_imports').selectAll().where('file_key', '=', target.key).executeTakeFirst();
  if (known?.status === 'staged') {
    summary.resumedFrom += known.rows_done;
    addCounts(summary.rejected, JSON.parse(known.rejected) as Record<string, number>);
    return;
  }
  const skip = known?.rows_done ?? 0;
  summary.resumedFrom += skip;
  const rejectedBefore: Record<string, number> = known ? (JSON.parse(known.rejected) as Record<string, number>) : {};
  if (!known) {
    await db
      .insertInto('directory_imports')
      .values({ file_key: target.key, rows_done: 0, rejected: '{}', status: 'staging', updated_at: clock.now().toISOString() })
      .execute();
  }

  for await (const batch of parser.parse({ file: target.file, kind: target.kind, skip, batchSize: options.batchSize ?? DEFAULT_BATCH })) {
    const rejected = { ...rejectedBefore };
    addCounts(rejected, batch.rejected);
    // The last batch of a file may have no rows; it is written all the same
    // when nothing was read since resuming, so that progress is reported.
    if (batch.batchRows > 0 || batch.rows === skip) {
      await db.transaction().execute(async (trx) => {
        await bulkAppend(trx, 'staging_units', UNIT_COLUMNS, batch.units);
        await bulkAppend(trx, 'staging_head_offices', HEAD_OFFICE_COLUMNS, batch.heads);
        await bulkAppend(trx, 'staging_establishments', ESTABLISHMENT_COLUMNS, batch.establishments);
        await bulkAppend(trx, 'staging_words', ['word'], batch.words);
        await trx
          .updateTable('directory_imports')
          .set({ rows_done: batch.rows, rejected: JSON.stringify(rejected), updated_at: clock.now().toISOString() })
          .where('file_key', '=', target.key)
          .execute();
      });
      onProgress({ file: target.file, kind: target.kind, rows: batch.rows, bytesRead: batch.bytesRead, bytesTotal: target.size });
    }
    if (batch.done) {
      await db.updateTable('directory_imports').set({ status: 'staged' }).where('file_key', '=', target.key).execute();
      summary.rowsRead += batch.rows - skip;
      summary.skipped += batch.skipped;
      addCounts(summary.rejected, rejected);
    }
  }
}

// FTS5 writes its pending words out each time they reach this many bytes:
// its default (1 MiB) makes a million-row merge write, then merge again,
// hundreds of small segments (32 MiB: full-text indexing 1.4× faster, same
// index size and search speed after).
const FTS_HASH_SIZE = 32 << 20;
const FTS_DEFAULT_HASH_SIZE = 1 << 20;

async function schemaSql(trx: Kysely<Database>, type: 'index' | 'trigger', name: string): Promise<string> {
  const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = ${type} AND name = ${name}`.execute(trx);
  return rows[0]!.sql;
}

/**
 * On SQLite, what the merge of many units does row by row is cheaper done in
 * bulk afterwards: the full-text index of the organisations it adds (its
 * insert trigger, writing into the index between table writes, made the
 * merge 1.3× slower), and, when the import at least doubles the directory,
 * the name_key index (rebuilt in one sort rather than updated a million
 * times at random) and the full-text index's segments (merged into one). Within the apply's transaction: no search sees them gone.
 * Returns what puts them back.
 */
async function bulkMergeOnSqlite(trx: Kysely<Database>, staged: number): Promise<() => Promise<void>> {
  await sql`INSERT INTO organisations_fts (organisations_fts, rank) VALUES ('hashsize', ${sql.lit(FTS_HASH_SIZE)})`.execute(trx);
  const { rows } = await sql<{ last: number | null; count: number }>`SELECT max(rowid) AS last, count(*) AS count FROM organisations`.execute(trx);
  const { last, count } = rows[0]!;
  const trigger = await schemaSql(trx, 'trigger', 'organisations_fts_insert');
  await sql`DROP TRIGGER organisations_fts_insert`.execute(trx);
  const doubles = staged >= count;
  const nameIndex = doubles ? await schemaSql(trx, 'index', 'organisations_name_key') : null;
  if (nameIndex) await sql`DROP INDEX organisations_name_key`.execute(trx);
  return async () => {
    // The rows added come after the last row id there was, in the order they
    // were added: search_rank's. The condition is the insert trigger's.
    await sql`
      INSERT INTO organisations_fts (rowid, search_text)
      SELECT search_rank, search_text FROM organisations WHERE rowid > ${last ?? 0} AND state = 'A' AND diffusion = 'O' ORDER BY rowid`.execute(trx);
    // The index now holds a segment per 32 MiB of words, which every search
    // reads one after the other: merged into one (5 million units: 7
    // segments; 3 s, 2 % of the import).
    if (doubles) await sql`INSERT INTO organisations_fts (organisations_fts) VALUES ('optimize')`.execute(trx);
    await sql.raw(trigger).execute(trx);
    if (nameIndex) await sql.raw(nameIndex).execute(trx);
  };
}

// SQLite sorts for the merge's ORDER BY and for each index the apply builds:
// with helper threads it sorts on the core the parse worker no longer uses
// (the apply 1.1× faster). A setting of the connection, put back afterwards.
const SORT_THREADS = 2;

async function sortThreads(db: Kysely<Database>, threads?: number): Promise<number> {
  const { rows } = await sql<{ threads: number }>`PRAGMA threads${threads === undefined ? sql`` : sql` = ${sql.lit(threads)}`}`.execute(db);
  return rows[0]!.threads;
}

/** Merges everything staged into the directory, in one transaction, and clears the staging. */
async function apply(db: Kysely<Database>, summary: ImportSummary): Promise<void> {
  const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
  const threadsBefore = sqlite ? await sortThreads(db) : null;
  if (sqlite) await sortThreads(db, SORT_THREADS);
  try {
    await merge(db, sqlite, summary);
  } finally {
    if (threadsBefore !== null) await sortThreads(db, threadsBefore);
  }
}

async function merge(db: Kysely<Database>, sqlite: boolean, summary: ImportSummary): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE INDEX staging_head_offices_siren ON staging_head_offices (siren)`.execute(trx);
    // One pass over the staged units tells what the merge will do. Rows loaded
    // from the official list of communes and EPCI stay as they are.
    const { rows } = await sql<{ staged: number; inserted: number; closed: number; changed: number }>`
      SELECT count(*) AS staged,
        sum(CASE WHEN o.siren IS NULL THEN 1 ELSE 0 END) AS inserted,
        sum(CASE WHEN o.source <> ${PUBLIC_BODIES_SOURCE} AND s.state = 'C' AND o.state = 'A' THEN 1 ELSE 0 END) AS closed,
        sum(CASE WHEN o.source <> ${PUBLIC_BODIES_SOURCE}
          AND (o.updated_at IS NULL OR s.updated_at IS NULL OR o.updated_at <> s.updated_at) THEN 1 ELSE 0 END) AS changed
      FROM staging_units s LEFT JOIN organisations o ON o.siren = s.siren`.execute(trx);
    const counts = rows[0]!;
    summary.inserted = Number(counts.inserted ?? 0);
    summary.closed = Number(counts.closed ?? 0);
    summary.updated = Number(counts.changed ?? 0) - summary.closed;
    summary.unchanged = Number(counts.staged) - summary.inserted - Number(counts.changed ?? 0);

    await foldEstablishmentsIntoUnits(trx, sqlite);
    const restore = sqlite ? await bulkMergeOnSqlite(trx, Number(counts.staged)) : null;
    // In search_rank order: on SQLite the rank is the full-text index's row id,
    // and FTS5 writes its pending words out each time a row id goes backwards
    // (measured on 200 000 units: 2.5× faster in order).
    await sql`
      INSERT INTO organisations (siren, name, kind, legal_category, town, postcodes, departement, population, name_key, search_text, source,
        sigle, activity, head_siret, address, updated_at, state, closed_on, diffusion, name_words, place_words, search_rank, sigle_key, open_establishments)
      SELECT s.siren, s.name, s.kind, s.legal_category, h.town, coalesce(h.postcode, ''), h.departement, s.headcount, s.name_key,
        ' ' || s.name_words || ' ' || coalesce(h.place_words, '') || ' ', ${SIRENE_SOURCE},
        s.sigle, s.activity, h.siret, h.address, s.updated_at, s.state, s.closed_on, s.diffusion, s.name_words, coalesce(h.place_words, ''), s.search_rank, s.sigle_key, s.open_establishments
      FROM staging_units s LEFT JOIN staging_head_offices h ON h.siren = s.siren
      WHERE true
      ORDER BY s.search_rank
      ON CONFLICT (siren) DO UPDATE SET
        name = excluded.name, kind = excluded.kind, legal_category = excluded.legal_category, population = excluded.population,
        name_key = excluded.name_key, sigle = excluded.sigle, sigle_key = excluded.sigle_key, open_establishments = excluded.open_establishments, activity = excluded.activity, updated_at = excluded.updated_at,
        state = excluded.state, closed_on = excluded.closed_on, diffusion = excluded.diffusion, name_words = excluded.name_words, search_rank = excluded.search_rank,
        search_text = ' ' || excluded.name_words || ' ' || organisations.place_words || ' '
      WHERE organisations.source <> ${PUBLIC_BODIES_SOURCE}
        AND (organisations.updated_at IS NULL OR excluded.updated_at IS NULL OR organisations.updated_at <> excluded.updated_at
          OR (excluded.closed_on IS NOT NULL AND organisations.closed_on IS NULL))`.execute(trx);
    await restore?.();

    // Head offices: the address, town and postcode of units already in the directory.
    await sql`
      UPDATE organisations SET
        head_siret = h.siret, address = h.address, town = h.town, postcodes = coalesce(h.postcode, ''), departement = h.departement,
        place_words = h.place_words, search_text = ' ' || organisations.name_words || ' ' || h.place_words || ' '
      FROM staging_head_offices h
      WHERE organisations.siren = h.siren AND organisations.source <> ${PUBLIC_BODIES_SOURCE}
        AND (organisations.head_siret IS NULL OR organisations.head_siret <> h.siret OR organisations.place_words <> h.place_words
          OR coalesce(organisations.address, '') <> coalesce(h.address, ''))`.execute(trx);
    if (sqlite) await sql`INSERT INTO organisations_fts (organisations_fts, rank) VALUES ('hashsize', ${sql.lit(FTS_DEFAULT_HASH_SIZE)})`.execute(trx);

    await sql`INSERT INTO search_words (word) SELECT DISTINCT word FROM staging_words WHERE true ON CONFLICT (word) DO NOTHING`.execute(trx);
    await addStagedWordDeletes(trx, sqlite ? 'sqlite' : 'postgres');

    await sql`DROP INDEX staging_head_offices_siren`.execute(trx);
    await trx.deleteFrom('staging_units').execute();
    await trx.deleteFrom('staging_head_offices').execute();
    await trx.deleteFrom('staging_establishments').execute();
    await trx.deleteFrom('staging_words').execute();
    await trx.deleteFrom('directory_imports').execute();
  });
}

/**
 * Imports Sirene stock or update files (units and establishments, in any
 * order). Running it again on the same files changes nothing; after an
 * interruption, running it again resumes and finishes the job.
 */
export async function importSirene(
  store: ImportTarget,
  clock: Clock,
  files: string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  if (files.length === 0) throw new ImportError('Indiquez au moins un fichier Sirene à importer.');
  const { db } = store;
  const targets = await Promise.all(files.map(describe));
  // Staging left by an interrupted import of other files is discarded: a resume needs the same files.
  const keys = new Set(targets.map((t) => t.key));
  const leftovers = await db.selectFrom('directory_imports').select('file_key').execute();
  if (leftovers.some((l) => !keys.has(l.file_key))) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('staging_units').execute();
      await trx.deleteFrom('staging_head_offices').execute();
      await trx.deleteFrom('staging_establishments').execute();
      await trx.deleteFrom('staging_words').execute();
      await trx.deleteFrom('directory_imports').execute();
    });
  }
  const summary: ImportSummary = { rowsRead: 0, inserted: 0, updated: 0, closed: 0, unchanged: 0, skipped: 0, rejected: {}, resumedFrom: 0 };
  // Units first, so that establishments of the same run find their unit staged.
  const parser = new SireneParser();
  try {
    for (const target of [...targets].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'units' ? -1 : 1))) {
      await stageFile(store, clock, parser, target, summary, options);
    }
  } finally {
    await parser.close();
  }
  await apply(db, summary);
  await refreshSearchIndex(db);
  await compactOnSqlite(db);
  return summary;
}

// The staging tables' pages stay in an SQLite file once emptied, for the next
// import to fill: after a first import of the stock, as many again as the
// directory (5 million units: 1.4 GiB free in a 3.6 GiB file). Past this
// share of the file, a VACUUM gives them back (5 million units: 11 s, about
// a tenth of the import; the file 40 % smaller); monthly updates stage too
// little to reach it.
const MOST_FREE = 0.25;

async function compactOnSqlite(db: Kysely<Database>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const { rows } = await sql<{ free: number; pages: number }>`
    SELECT (SELECT freelist_count FROM pragma_freelist_count()) AS free, (SELECT page_count FROM pragma_page_count()) AS pages`.execute(db);
  const { free, pages } = rows[0]!;
  if (pages > 0 && free / pages >= MOST_FREE) await sql`VACUUM`.execute(db);
}
