import { createRequire } from 'node:module';
import type { NewOrganisation } from '../db/schema.js';
import { collectiviteRows } from './collectivites.js';
import { organisationRow } from './organisation-row.js';

// The communes and EPCI of @etalab/decoupage-administratif: every current
// commune with its SIREN, town and postcodes, and every EPCI (whose code is
// its SIREN); then the départements, régions and collectivités à statut
// particulier of reference/collectivites.fr.json. The data files are read
// directly because the package's index resolves them against the working
// directory.
const requireData = createRequire(import.meta.url);

interface Commune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
}

interface Epci {
  code: string;
  nom: string;
  type: 'CC' | 'CA' | 'CU' | 'METRO' | 'MET69';
  populationTotale?: number;
  membres: { code: string }[];
}

// INSEE legal category of each EPCI type. The Métropole de Lyon is a
// territorial authority with special status rather than an EPCI.
const EPCI_LEGAL_CATEGORY: Record<Epci['type'], string> = {
  CC: '7346',
  CA: '7348',
  CU: '7343',
  METRO: '7344',
  MET69: '7229',
};

/** The source of every shipped public body: a Sirene import leaves them as they are. */
export const PUBLIC_BODIES_SOURCE = 'decoupage-administratif';

/** Every shipped public body, each SIREN once (the Ville de Paris and the Métropole de Lyon as collectivités). */
export function loadPublicBodies(): NewOrganisation[] {
  const { communes, rows } = splitRows();
  const collectivites = collectivitesOf(communes, rows);
  const replaced = new Set(collectivites.map((r) => r.siren));
  return [...rows.filter((r) => !replaced.has(r.siren)), ...collectivites];
}

/** The shipped départements, régions and collectivités à statut particulier only. */
export function loadCollectivites(): NewOrganisation[] {
  const { communes, rows } = splitRows();
  return collectivitesOf(communes, rows);
}

function collectivitesOf(communes: Commune[], split: NewOrganisation[]): NewOrganisation[] {
  return collectiviteRows(communes, new Map(split.map((r) => [r.siren, r])), PUBLIC_BODIES_SOURCE);
}

function splitRows(): { communes: Commune[]; rows: NewOrganisation[] } {
  const communes: Commune[] = requireData('@etalab/decoupage-administratif/data/communes.json');
  const epcis: Epci[] = requireData('@etalab/decoupage-administratif/data/epci.json');
  const departementOfCommune = new Map<string, string>();
  const organisations: NewOrganisation[] = [];

  const current = communes.filter((c) => c.type === 'commune-actuelle');
  for (const c of current) {
    if (c.departement) departementOfCommune.set(c.code, c.departement);
    if (!c.siren) continue;
    const postcodes = c.codesPostaux ?? [];
    organisations.push(
      organisationRow({
        siren: c.siren,
        name: c.nom,
        kind: 'Commune',
        legalCategory: '7210',
        town: c.nom,
        postcodes,
        departement: c.departement ?? null,
        people: c.population ?? 0,
        source: PUBLIC_BODIES_SOURCE,
        nameAliases: ['commune'],
      }),
    );
  }

  for (const e of epcis) {
    const departement = mostFrequent(e.membres.map((m) => departementOfCommune.get(m.code)));
    organisations.push(
      organisationRow({
        siren: e.code,
        name: e.nom,
        kind: e.type === 'MET69' ? 'Collectivité à statut particulier' : 'EPCI',
        legalCategory: EPCI_LEGAL_CATEGORY[e.type],
        town: null,
        postcodes: [],
        departement,
        people: e.populationTotale ?? 0,
        source: PUBLIC_BODIES_SOURCE,
        nameAliases: [expandEpciAbbreviation(e.type)],
      }),
    );
  }
  return { communes: current, rows: organisations };
}

// EPCI names start with "CC", "CA"…: the spelled-out form lets
// "communauté de communes" find them too.
function expandEpciAbbreviation(type: Epci['type']): string {
  switch (type) {
    case 'CC':
      return 'communauté de communes';
    case 'CA':
      return "communauté d'agglomération";
    case 'CU':
      return 'communauté urbaine';
    case 'METRO':
    case 'MET69':
      return 'métropole';
  }
}

function mostFrequent(values: (string | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}
