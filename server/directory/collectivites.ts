import type { NewOrganisation } from '../db/schema.js';
import { foldForSearch } from '../shared/text.js';
import collectivites from './reference/collectivites.fr.json';
import { organisationRow } from './organisation-row.js';
import { departementOfCommune } from './sirene/rows.js';
import { regionName, regionOfDepartement } from './territories.js';

// The départements, régions and collectivités à statut particulier of
// reference/collectivites.fr.json (SIREN from Sirene, codes from the COG; its
// source and date are in the file), as directory rows: named as people call
// them, ranked by the population of their territory.

type Kind = 'departement' | 'region' | 'collectivite_statut_particulier';

interface Collectivite {
  siren: string;
  name: string | null;
  displayName: string;
  kind: Kind;
  legalCategory: string;
  code: string | null;
  departements: string[];
  regions: string[];
  commune: string | null;
  codeCommune: string | null;
}

/** What a commune of the official split tells about a territory. */
export interface CommunePlace {
  departement?: string;
  region?: string;
  population?: number;
}

const KIND_LABELS: Record<Kind, string> = {
  departement: 'Département',
  region: 'Région',
  collectivite_statut_particulier: 'Collectivité à statut particulier',
};

// Shorthands in everyday use for three régions.
const REGION_ACRONYMS: Record<string, string> = { '11': 'idf', '84': 'aura', '93': 'paca' };

function aliasesOf(c: Collectivite, fromSplit: NewOrganisation | undefined): string[] {
  const aliases = [c.name ?? ''];
  if (c.departements.length > 0) aliases.push('département conseil départemental conseil général', ...c.departements.map((d) => `cd${d}`));
  if (c.regions.length > 0) aliases.push('région conseil régional', ...c.regions.map((r) => REGION_ACRONYMS[r] ?? ''));
  if (c.kind === 'collectivite_statut_particulier') aliases.push('collectivité');
  if (fromSplit?.kind === 'Commune') aliases.push('commune');
  if (fromSplit?.kind === 'EPCI') aliases.push('métropole');
  // Each word once: the official name mostly repeats the displayed one.
  const named = new Set(foldForSearch(c.displayName).split(' '));
  return [...new Set(foldForSearch(aliases.join(' ')).split(' '))].filter((w) => w && !named.has(w));
}

/**
 * The rows of the shipped collectivités. A body the official split already
 * holds (the Ville de Paris as a commune, the Métropole de Lyon as an EPCI)
 * keeps its town, postcodes and population from there.
 */
export function collectiviteRows(communes: CommunePlace[], split: ReadonlyMap<string, NewOrganisation>, source: string): NewOrganisation[] {
  const population = new Map<string, number>();
  for (const c of communes) {
    for (const key of [`d${c.departement}`, `r${c.region}`]) population.set(key, (population.get(key) ?? 0) + (c.population ?? 0));
  }
  // A body of a région counts its communes once, whatever départements it also stands for (Corse, Martinique…).
  const populationOf = (c: Collectivite): number =>
    c.regions.length > 0 ? sum(c.regions.map((r) => population.get(`r${r}`) ?? 0)) : sum(c.departements.map((d) => population.get(`d${d}`) ?? 0));
  return (collectivites.rows as Collectivite[]).map((c) => {
    const fromSplit = split.get(c.siren);
    const regionsAround = new Set(c.departements.map((d) => regionOfDepartement(d)).filter((r): r is string => !!r && !c.regions.includes(r)));
    return organisationRow({
      siren: c.siren,
      name: c.displayName,
      kind: KIND_LABELS[c.kind],
      legalCategory: c.legalCategory,
      town: fromSplit?.town ?? c.commune,
      postcodes: fromSplit?.postcodes ? fromSplit.postcodes.split(' ') : [],
      departement: fromSplit?.departement ?? (c.codeCommune ? departementOfCommune(c.codeCommune) : null),
      people: fromSplit ? Number(fromSplit.population) : populationOf(c),
      source,
      nameAliases: aliasesOf(c, fromSplit),
      placeAliases: [...regionsAround].map((r) => regionName(r) ?? ''),
    });
  });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
