import { createRequire } from 'node:module';
import { expandAbbreviations, foldForSearch } from '../shared/text.js';

// The current communes of @etalab/decoupage-administratif, to check the
// commune someone gives for an organisation outside the directory, by name,
// postcode or both, and to place that organisation when it is added.
const requireData = createRequire(import.meta.url);

interface CommuneRecord {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
}

export interface Commune {
  /** INSEE code. */
  code: string;
  name: string;
  departement: string | null;
  postcodes: string[];
}

interface Index {
  byName: Map<string, Commune[]>;
  byPostcode: Map<string, Commune[]>;
}

let index: Index | null = null;

const key = (name: string): string => expandAbbreviations(foldForSearch(name));

function push(map: Map<string, Commune[]>, k: string, c: Commune): void {
  const list = map.get(k);
  if (list) list.push(c);
  else map.set(k, [c]);
}

function communesIndex(): Index {
  if (index) return index;
  const records: CommuneRecord[] = requireData('@etalab/decoupage-administratif/data/communes.json');
  const built: Index = { byName: new Map(), byPostcode: new Map() };
  for (const r of records) {
    if (r.type !== 'commune-actuelle') continue;
    const commune = { code: r.code, name: r.nom, departement: r.departement ?? null, postcodes: r.codesPostaux ?? [] };
    push(built.byName, key(r.nom), commune);
    for (const p of commune.postcodes) push(built.byPostcode, p, commune);
  }
  index = built;
  return built;
}

/**
 * The communes a text designates: "Saint-Étienne", "42000", "42000
 * Saint-Étienne", "Saint-Denis (93)". Several when a name or a postcode is
 * shared; none when nothing matches.
 */
export function communesMatching(text: string): Commune[] {
  const postcode = /\b(\d{5})\b/.exec(text)?.[1] ?? null;
  const departement = /\((\d{2,3}|2[AB])\)/i.exec(text)?.[1]?.toUpperCase() ?? null;
  const name = key(text.replace(/\b\d{5}\b/, ' ').replace(/\((\d{2,3}|2[AB])\)/i, ' '));
  const { byName, byPostcode } = communesIndex();
  let found = name ? (byName.get(name) ?? []) : postcode ? (byPostcode.get(postcode) ?? []) : [];
  if (name && postcode) found = found.filter((c) => c.postcodes.includes(postcode));
  if (departement) found = found.filter((c) => c.departement === departement);
  return found;
}

/** How a commune is shown to an approver choosing among several. */
export function communeLabel(c: Commune): string {
  return c.departement ? `${c.name} (${c.departement})` : c.name;
}
