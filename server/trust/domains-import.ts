import Papa from 'papaparse';
import { isValidSiren } from '../../common/identifiers/siren.js';
import { emailDomainSchema } from '../../common/staff/schemas.js';
import type { AppContext } from '../context.js';
import { IMPORT_ACTOR, verifyDomain } from './domains.service.js';
import { DomainError } from '../shared/domain-error.js';

export interface DomainImportReport {
  added: number;
  alreadyVerified: number;
  /** Lines left out, with why, in French (line numbers as a spreadsheet shows them). */
  rejected: { line: number; message: string }[];
}

const BATCH = 500;

/**
 * Verifies the domains of a `siren;domain` file (a header line is allowed,
 * commas work too), in batches of one transaction each. A bad line is left
 * out and reported; it stops nothing.
 */
export async function importVerifiedDomains(ctx: AppContext, csv: string, reason: string): Promise<DomainImportReport> {
  const { data } = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { delimiter: '', skipEmptyLines: 'greedy' });
  const report: DomainImportReport = { added: 0, alreadyVerified: 0, rejected: [] };
  const entries: { line: number; siren: string; domain: string }[] = [];
  data.forEach((cells, index) => {
    const line = index + 1;
    const [rawSiren = '', rawDomain = ''] = cells.map((c) => c.trim());
    const siren = rawSiren.replace(/\s/g, '');
    if (line === 1 && !/^\d+$/.test(siren)) return;
    if (cells.length !== 2) return void report.rejected.push({ line, message: 'La ligne doit compter deux colonnes : SIREN et domaine.' });
    if (!isValidSiren(siren)) return void report.rejected.push({ line, message: `SIREN non valide : « ${rawSiren.slice(0, 40)} ».` });
    try {
      entries.push({ line, siren, domain: emailDomainSchema.validateSync(rawDomain) });
    } catch {
      report.rejected.push({ line, message: `Domaine non valide : « ${rawDomain.slice(0, 80)} ».` });
    }
  });
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH);
    const now = ctx.clock.now().toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      const known = new Set(
        (await trx.selectFrom('organisations').select('siren').where('siren', 'in', [...new Set(batch.map((e) => e.siren))]).execute()).map((o) => o.siren),
      );
      for (const entry of batch) {
        if (!known.has(entry.siren)) {
          report.rejected.push({ line: entry.line, message: `Le SIREN ${entry.siren} n'est pas dans l'annuaire.` });
          continue;
        }
        try {
          if (await verifyDomain(trx, now, IMPORT_ACTOR, entry.siren, entry.domain, reason)) report.added++;
          else report.alreadyVerified++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          report.rejected.push({ line: entry.line, message: error.message });
        }
      }
    });
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
