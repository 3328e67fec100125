import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The reference files shipped with the service: public facts (INSEE
// nomenclature, SIREN of the départements, régions and the bodies that stand
// in for them) with their source and date beside them.

interface LegalCategories {
  source: string;
  retrieved: string;
  level1: Record<string, string>;
  level2: Record<string, string>;
  categories: Record<string, string>;
}

type Kind = 'departement' | 'region' | 'collectivite_statut_particulier' | 'collectivite_outre_mer';

interface CollectiviteRow {
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
  note?: string;
}

interface Collectivites {
  source: string;
  retrieved: string;
  rows: CollectiviteRow[];
  missing: { what: string; kind: Kind; reason: string; departement?: string }[];
}

const read = <T>(file: string): T => JSON.parse(fs.readFileSync(new URL(file, import.meta.url), 'utf8')) as T;

const legal = read<LegalCategories>('../../../common/directory/legal-categories.fr.json');
const collectivites = read<Collectivites>('../../../server/directory/reference/collectivites.fr.json');

// The COG as the directory already reads it, for the list of current codes.
const requireData = createRequire(import.meta.url);
const cogDepartements: { code: string; zone: string }[] = requireData('@etalab/decoupage-administratif/data/departements.json');
const cogRegions: { code: string; zone: string }[] = requireData('@etalab/decoupage-administratif/data/regions.json');

/** A SIREN's key: the Luhn sum of its 9 digits is a multiple of 10. */
function luhnValid(siren: string): boolean {
  let sum = 0;
  for (let i = 0; i < siren.length; i++) {
    let digit = Number(siren[siren.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

describe('the INSEE nomenclature of legal categories', () => {
  it('says where it comes from and when it was taken', () => {
    expect(legal.source).toMatch(/INSEE/);
    expect(legal.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has every level III code on 4 digits, each under a level II and a level I heading', () => {
    const codes = Object.keys(legal.categories);
    expect(codes.length).toBeGreaterThanOrEqual(250);
    for (const code of codes) {
      expect(code).toMatch(/^\d{4}$/);
      expect(legal.categories[code]?.trim(), code).toBeTruthy();
      expect(legal.level2[code.slice(0, 2)], code).toBeTruthy();
      expect(legal.level1[code.slice(0, 1)], code).toBeTruthy();
    }
    expect(Object.keys(legal.level1)).toHaveLength(10);
  });

  it('labels the categories the desk relies on', () => {
    expect(legal.categories['7210']).toBe('Commune et commune nouvelle');
    expect(legal.categories['7220']).toBe('Département');
    expect(legal.categories['7230']).toBe('Région');
    expect(legal.categories['7229']).toBe('(Autre) Collectivité territoriale');
    expect(legal.categories['7371']).toMatch(/^Office public d'habitation à loyer modéré/);
    expect(legal.categories['9220']).toBe('Association déclarée');
    expect(legal.categories['5710']).toBe('SAS, société par actions simplifiée');
  });
});

describe('the départements, régions and the collectivities that stand in for them', () => {
  const rows = collectivites.rows;

  it('says where they come from and when they were taken', () => {
    expect(collectivites.source).toMatch(/Sirene/);
    expect(collectivites.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('gives every body a 9-digit SIREN with a valid Luhn key, none twice', () => {
    for (const row of rows) {
      expect(row.siren, row.displayName).toMatch(/^\d{9}$/);
      expect(luhnValid(row.siren), `${row.displayName} ${row.siren}`).toBe(true);
    }
    expect(new Set(rows.map((r) => r.siren)).size).toBe(rows.length);
  });

  it('files every body under a legal category of the nomenclature, and a kind', () => {
    for (const row of rows) {
      expect(legal.categories[row.legalCategory], `${row.displayName} ${row.legalCategory}`).toBeTruthy();
      expect(['departement', 'region', 'collectivite_statut_particulier', 'collectivite_outre_mer']).toContain(row.kind);
      expect(row.displayName.trim()).toBeTruthy();
    }
    for (const row of rows.filter((r) => r.kind === 'region')) expect(row.legalCategory, row.displayName).toBe('7230');
  });

  it('covers the 101 départements of the COG, or says why one is missing', () => {
    const codes = cogDepartements.filter((d) => d.zone !== 'com').map((d) => d.code);
    expect(codes).toHaveLength(101);
    const covered = new Set(rows.flatMap((r) => r.departements));
    const explained = new Set(collectivites.missing.flatMap((m) => (m.departement ? [m.departement] : [])));
    expect(codes.filter((c) => !covered.has(c) && !explained.has(c))).toEqual([]);
    for (const row of rows) for (const c of row.departements) expect(codes, row.displayName).toContain(c);
  });

  it('covers the 18 régions of the COG (13 in metropolitan France, Corse included, and 5 overseas)', () => {
    const codes = cogRegions.filter((r) => r.zone !== 'com').map((r) => r.code);
    expect(codes).toHaveLength(18);
    const covered = new Set(rows.flatMap((r) => r.regions));
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
    // One body per région.
    expect(rows.flatMap((r) => r.regions).sort()).toEqual([...codes].sort());
  });

  it('keeps the replacements the law made: Corse, Alsace, Paris, Martinique, Guyane, Mayotte', () => {
    const bySiren = new Map(rows.map((r) => [r.siren, r]));
    expect(bySiren.get('200076958')?.departements).toEqual(['2A', '2B']);
    expect(bySiren.get('200094332')?.departements).toEqual(['67', '68']);
    expect(bySiren.get('217500016')?.legalCategory).toBe('7229');
    expect(bySiren.get('200055507')?.regions).toEqual(['02']);
    expect(bySiren.get('200052678')?.regions).toEqual(['03']);
    expect(bySiren.get('229850003')?.regions).toEqual(['06']);
    expect(bySiren.get('224200014')?.name).toBe('DEPARTEMENT DE LA LOIRE');
  });

  it('gives a reason for each body left out', () => {
    for (const m of collectivites.missing) expect(m.reason.length, m.what).toBeGreaterThan(20);
  });
});
