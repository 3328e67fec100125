import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { Readable } from 'node:stream';
import type { Database } from '../db/schema.js';
import { actionLabel, actorNames } from './history.js';

// A cell starting with = + - @ (or a tab/CR) is read as a formula by
// spreadsheet software: such cells are prefixed with a quote.
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const BATCH = 1000;

/** The whole audit trail as CSV (semicolon-separated, as French spreadsheets expect), streamed in batches. */
export function auditCsv(db: Kysely<Database>): Readable {
  const csv = stringify({
    delimiter: ';',
    bom: true,
    header: true,
    columns: ['date', 'auteur', 'auteur_nom', 'action', 'libelle', 'objet', 'objet_id', 'details'],
  });
  (async () => {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      let query = db.selectFrom('audit_events').selectAll().orderBy('at').orderBy('id').limit(BATCH);
      if (after) {
        const { at, id } = after;
        query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
      }
      const rows = await query.execute();
      if (rows.length === 0) break;
      const names = await actorNames(db, rows.map((r) => r.actor));
      for (const r of rows) {
        const ok = csv.write([r.at, r.actor, names.get(r.actor) ?? '', r.action, actionLabel(r.action), r.subject_type, r.subject_id, r.details].map(inert));
        if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
      }
      const last = rows[rows.length - 1]!;
      after = { at: last.at, id: last.id };
    }
    csv.end();
  })().catch((error: unknown) => csv.destroy(error instanceof Error ? error : new Error(String(error))));
  return csv;
}
