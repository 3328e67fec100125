import { sql, type Kysely } from 'kysely';
import { isValidSiren } from '../../../common/identifiers/siren.js';
import type { Database, StagingEstablishmentsTable } from '../../db/schema.js';
import { foldForSearch, withAbbreviations } from '../../shared/text.js';
import { ESTABLISHMENT_STEP } from '../ranking.js';
import type { Cells } from './rows.js';

// What a unit's establishments add to its search: how many are open (ties of
// the ranking, ranking.ts) and their usual names and signs ("CS MONTREYNAUD"
// finds the CENTRE SOCIAL DU QUARTIER MONTREYNAUD). A StockEtablissement file
// lists a unit's establishments one after the other: the parse worker adds
// up each run of the same SIREN and stages one row for it, when it tells
// something beyond "one open establishment, no usual name" (most units).

export const ESTABLISHMENT_COLUMNS = ['siren', 'open_count', 'usual_words'] as const satisfies readonly (keyof StagingEstablishmentsTable)[];

/** A run's usual names stop growing at this many words (a chain's signs would otherwise fill a unit's search text). */
const MAX_USUAL_WORDS = 24;

export interface EstablishmentFacts {
  siren: string;
  open: boolean;
  /** Folded usual names and signs of an open, diffusible establishment, with their abbreviations; '' otherwise. */
  usual: string;
}

/** Reads the open state and usual names of every establishment of a StockEtablissement file. */
export function establishmentFacts(header: string[]): (cells: Cells) => EstablishmentFacts | null {
  const at = (name: string): number => header.indexOf(name);
  const siren = at('siren');
  const state = at('etatAdministratifEtablissement');
  const diffusion = at('statutDiffusionEtablissement');
  const names = ['enseigne1Etablissement', 'enseigne2Etablissement', 'enseigne3Etablissement', 'denominationUsuelleEtablissement']
    .map(at)
    .filter((i) => i >= 0);
  return (cells) => {
    const unit = (cells[siren] ?? '').trim();
    if (!isValidSiren(unit)) return null;
    const open = state < 0 || (cells[state] ?? '').trim() === 'A';
    const shown = diffusion < 0 || (cells[diffusion] ?? '').trim() === 'O';
    const usual = open && shown ? names.map((i) => (cells[i] ?? '').trim()).filter(Boolean).join(' ') : '';
    return { siren: unit, open, usual: usual ? withAbbreviations(foldForSearch(usual)) : '' };
  };
}

/** Adds up consecutive establishments of the same unit; what is staged for each run. */
export class EstablishmentRuns {
  private siren = '';
  private open = 0;
  private words = new Set<string>();

  /** Takes an establishment; appends the previous run's staged row to `into` when this one starts another. */
  take(facts: EstablishmentFacts, into: unknown[]): void {
    if (facts.siren !== this.siren) this.flush(into, false);
    this.siren = facts.siren;
    if (facts.open) this.open++;
    if (facts.usual) {
      for (const word of facts.usual.split(' ')) {
        if (this.words.size < MAX_USUAL_WORDS) this.words.add(word);
      }
    }
  }

  /**
   * Stages the current run, if it tells something. At the end of a batch
   * (`cut`) a run with one open establishment is staged too: its rest, in the
   * next batch, adds up with it.
   */
  flush(into: unknown[], cut: boolean): void {
    if (this.siren && (this.open >= (cut ? 1 : 2) || this.words.size > 0)) {
      into.push(this.siren, this.open, [...this.words].join(' '));
    }
    this.siren = '';
    this.open = 0;
    this.words = new Set();
  }
}

const score = (n: string) => sql`(CASE WHEN ${sql.raw(n)} > 128 THEN 127 WHEN ${sql.raw(n)} > 1 THEN ${sql.raw(n)} - 1 ELSE 0 END)`;

/**
 * Before the merge of an import: each staged unit takes the count of its open
 * establishments (its search rank moves up by ranking.ts's establishments
 * score) and the usual names of its establishments among its name words.
 * Establishments imported without their units add nothing.
 */
export async function foldEstablishmentsIntoUnits(trx: Kysely<Database>, sqlite: boolean): Promise<void> {
  const any = await trx.selectFrom('staging_establishments').select('siren').limit(1).executeTakeFirst();
  if (!any) return;
  const words = sqlite ? sql`group_concat(usual_words, ' ')` : sql`string_agg(usual_words, ' ')`;
  await sql`
    UPDATE staging_units SET
      open_establishments = e.n,
      search_rank = staging_units.search_rank + ${score('e.n')} * ${sql.lit(ESTABLISHMENT_STEP)},
      name_words = CASE WHEN staging_units.diffusion = 'O' AND trim(e.words) <> '' THEN staging_units.name_words || ' ' || trim(e.words)
        ELSE staging_units.name_words END
    FROM (SELECT siren, sum(open_count) AS n, ${words} AS words FROM staging_establishments GROUP BY siren) AS e
    WHERE staging_units.siren = e.siren`.execute(trx);
}
