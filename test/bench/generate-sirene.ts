import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { once } from 'node:events';

// Synthetic Sirene stock files in the published CSV layout: French-like
// names, real towns and postcodes weighted by population, a realistic mix of
// legal categories, closed and non-diffusible units, head offices and
// secondary establishments. Deterministic for a given size.
const require = createRequire(import.meta.url);

const UNIT_COLUMNS = [
  'siren', 'statutDiffusionUniteLegale', 'unitePurgeeUniteLegale', 'dateCreationUniteLegale', 'sigleUniteLegale', 'sexeUniteLegale',
  'prenom1UniteLegale', 'prenom2UniteLegale', 'prenom3UniteLegale', 'prenom4UniteLegale', 'prenomUsuelUniteLegale', 'pseudonymeUniteLegale',
  'identifiantAssociationUniteLegale', 'trancheEffectifsUniteLegale', 'anneeEffectifsUniteLegale', 'dateDernierTraitementUniteLegale',
  'nombrePeriodesUniteLegale', 'categorieEntreprise', 'anneeCategorieEntreprise', 'dateDebut', 'etatAdministratifUniteLegale', 'nomUniteLegale',
  'nomUsageUniteLegale', 'denominationUniteLegale', 'denominationUsuelle1UniteLegale', 'denominationUsuelle2UniteLegale',
  'denominationUsuelle3UniteLegale', 'categorieJuridiqueUniteLegale', 'activitePrincipaleUniteLegale', 'nomenclatureActivitePrincipaleUniteLegale',
  'nicSiegeUniteLegale', 'economieSocialeSolidaireUniteLegale', 'societeMissionUniteLegale', 'caractereEmployeurUniteLegale',
];
const ESTABLISHMENT_COLUMNS = [
  'siren', 'nic', 'siret', 'statutDiffusionEtablissement', 'dateCreationEtablissement', 'trancheEffectifsEtablissement', 'anneeEffectifsEtablissement',
  'activitePrincipaleRegistreMetiersEtablissement', 'dateDernierTraitementEtablissement', 'etablissementSiege', 'nombrePeriodesEtablissement',
  'complementAdresseEtablissement', 'numeroVoieEtablissement', 'indiceRepetitionEtablissement', 'dernierNumeroVoieEtablissement',
  'indiceRepetitionDernierNumeroVoieEtablissement', 'typeVoieEtablissement', 'libelleVoieEtablissement', 'codePostalEtablissement',
  'libelleCommuneEtablissement', 'libelleCommuneEtrangerEtablissement', 'distributionSpecialeEtablissement', 'codeCommuneEtablissement',
  'codeCedexEtablissement', 'libelleCedexEtablissement', 'codePaysEtrangerEtablissement', 'libellePaysEtrangerEtablissement',
  'identifiantAdresseEtablissement', 'coordonneeLambertAbscisseEtablissement', 'coordonneeLambertOrdonneeEtablissement',
  'complementAdresse2Etablissement', 'numeroVoie2Etablissement', 'indiceRepetition2Etablissement', 'typeVoie2Etablissement',
  'libelleVoie2Etablissement', 'codePostal2Etablissement', 'libelleCommune2Etablissement', 'libelleCommuneEtranger2Etablissement',
  'distributionSpeciale2Etablissement', 'codeCommune2Etablissement', 'codeCedex2Etablissement', 'libelleCedex2Etablissement',
  'codePaysEtranger2Etablissement', 'libellePaysEtranger2Etablissement', 'dateDebut', 'etatAdministratifEtablissement', 'enseigne1Etablissement',
  'enseigne2Etablissement', 'enseigne3Etablissement', 'denominationUsuelleEtablissement', 'activitePrincipaleEtablissement',
  'nomenclatureActivitePrincipaleEtablissement', 'caractereEmployeurEtablissement',
];

const TRADES = ['BOULANGERIE', 'PATISSERIE', 'PLOMBERIE', 'ELECTRICITE', 'MENUISERIE', 'TRANSPORTS', 'GARAGE', 'PHARMACIE', 'CONSEIL', 'IMMOBILIER',
  'RESTAURANT', 'BRASSERIE', 'BATIMENT', 'RENOVATION', 'NETTOYAGE', 'COIFFURE', 'INFORMATIQUE', 'AMENAGEMENT', 'PAYSAGES', 'TRAITEUR',
  'AMBULANCES', 'OPTIQUE', 'LIBRAIRIE', 'IMPRIMERIE', 'MACONNERIE', 'COUVERTURE', 'CHARPENTE', 'ARCHITECTURE', 'INGENIERIE', 'FORMATION'];
const SURNAMES = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT', 'LEFEBVRE',
  'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER', 'MOREL', 'GIRARD', 'ANDRE', 'LEFEVRE', 'MERCIER', 'DUPONT', 'LAMBERT',
  'BONNET', 'FRANCOIS', 'MARTINEZ', 'LEGRAND', 'GARNIER', 'FAURE', 'ROUSSEAU', 'BLANC', 'GUERIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS',
  'PERRIN', 'MORIN', 'MATHIEU', 'CLEMENT', 'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN'];
const FIRST_NAMES = ['JEAN', 'MARIE', 'PIERRE', 'NATHALIE', 'PHILIPPE', 'ISABELLE', 'MICHEL', 'SYLVIE', 'ALAIN', 'CATHERINE', 'NICOLAS', 'SOPHIE',
  'CHRISTOPHE', 'CELINE', 'STEPHANE', 'SANDRINE', 'LAURENT', 'VALERIE', 'DAVID', 'CHRISTINE'];
const PLACES = ['DU CENTRE', 'DES ALPES', 'DE LA GARE', 'DU LAC', 'DES TILLEULS', 'DU MIDI', 'DE L OUEST', 'DU PORT', 'DES HALLES', 'DU PARC',
  'DE LA VALLEE', 'DES COLLINES', 'DU MARCHE', 'DE LA PLAGE', 'DU CHATEAU'];
const ASSOCIATION_PURPOSES = ['SPORTIVE', 'CULTURELLE', 'DES PARENTS D ELEVES', 'DE QUARTIER', 'DES LOCATAIRES', 'DE SAUVEGARDE', 'MUSICALE',
  'DES COMMERCANTS', 'D AIDE A DOMICILE', 'DE JARDINS PARTAGES'];
const STREETS = ['DE LA REPUBLIQUE', 'VICTOR HUGO', 'JEAN JAURES', 'DU GENERAL DE GAULLE', 'PASTEUR', 'DES ECOLES', 'DE LA MAIRIE', 'DU COMMERCE',
  'GAMBETTA', 'DE LA LIBERTE', 'NATIONALE', 'DES LILAS'];
const STREET_TYPES = ['RUE', 'AV', 'BD', 'PL', 'CHE', 'ALL', 'IMP', 'RTE'];
const BANDS = ['NN', '00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41', '42', '51', '52', '53'];
const BAND_WEIGHTS = [30, 25, 15, 10, 7, 5, 3, 2, 1, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02];

/** A small deterministic PRNG (mulberry32): the same files for the same size. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function luhnKey(base: string): string {
  for (let c = 0; c < 10; c++) {
    const digits = base + c;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

interface Town {
  name: string;
  code: string;
  postcode: string;
  weight: number;
}

function towns(): { list: Town[]; cumulative: number[] } {
  const communes: { code: string; nom: string; type: string; codesPostaux?: string[]; population?: number }[] = require(
    '@etalab/decoupage-administratif/data/communes.json',
  );
  const list = communes
    .filter((c) => c.type === 'commune-actuelle' && c.codesPostaux?.length)
    .map((c) => ({ name: c.nom.toUpperCase().normalize('NFD').replace(/\p{M}/gu, ''), code: c.code, postcode: c.codesPostaux![0]!, weight: (c.population ?? 0) + 50 }));
  const cumulative: number[] = [];
  let total = 0;
  for (const t of list) cumulative.push((total += t.weight));
  return { list, cumulative };
}

function pickWeighted<T>(items: T[], cumulative: number[], r: number): T {
  const target = r * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return items[lo]!;
}

function csvLine(values: string[]): string {
  return `${values.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')}\n`;
}

async function write(stream: fs.WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain');
}

export interface GeneratedFiles {
  units: string;
  establishments: string;
  sirens: string[];
  sirets: string[];
  rareWords: string[];
}

/** Writes N units and their establishments under `dir`; returns the paths and a few identifiers to search for. */
export async function generateSirene(dir: string, count: number): Promise<GeneratedFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const rnd = random(count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const { list, cumulative } = towns();
  const bandCumulative: number[] = [];
  BAND_WEIGHTS.reduce((sum, w) => (bandCumulative.push(sum + w), sum + w), 0);
  const unitsPath = path.join(dir, 'StockUniteLegale_utf8.csv');
  const establishmentsPath = path.join(dir, 'StockEtablissement_utf8.csv');
  const units = fs.createWriteStream(unitsPath);
  const establishments = fs.createWriteStream(establishmentsPath);
  await write(units, csvLine(UNIT_COLUMNS));
  await write(establishments, csvLine(ESTABLISHMENT_COLUMNS));
  const sample: GeneratedFiles = { units: unitsPath, establishments: establishmentsPath, sirens: [], sirets: [], rareWords: [] };
  const unitIndex = new Map(UNIT_COLUMNS.map((c, i) => [c, i]));
  const estIndex = new Map(ESTABLISHMENT_COLUMNS.map((c, i) => [c, i]));

  for (let i = 0; i < count; i++) {
    const siren = luhnKey(String(40_000_000 + i * 7));
    const r = rnd();
    let category: string;
    let name = '';
    let sigle = '';
    let last = '';
    let first = '';
    const town = pickWeighted(list, cumulative, rnd());
    if (r < 0.25) {
      category = '1000';
      last = pick(SURNAMES);
      first = pick(FIRST_NAMES);
    } else if (r < 0.5) {
      category = '5710';
      name = `${pick(TRADES)} ${pick(SURNAMES)}${rnd() < 0.3 ? ' ET FILS' : ''}`;
    } else if (r < 0.7) {
      category = '5499';
      name = `${pick(TRADES)} ${pick(PLACES)}`;
    } else if (r < 0.85) {
      category = '9220';
      name = `ASSOCIATION ${pick(ASSOCIATION_PURPOSES)} DE ${town.name}`;
      if (rnd() < 0.3) sigle = name.split(' ').filter((w) => w.length > 2).map((w) => w[0]).join('');
    } else if (r < 0.97) {
      category = '6540';
      name = `SCI ${pick(PLACES).split(' ').pop()} ${pick(SURNAMES)}`;
    } else {
      category = pick(['7361', '7371', '7353', '7355', '7379']);
      name = `${category === '7371' ? 'OFFICE PUBLIC DE L HABITAT' : category === '7361' ? 'CENTRE COMMUNAL D ACTION SOCIALE' : 'SYNDICAT INTERCOMMUNAL'} DE ${town.name}`;
    }
    // A rare word: one in 20,000 units carries a made-up, unique brand name.
    if (i % 20_000 === 7 && name) {
      const word = `ZEPHYRA${i.toString(36).toUpperCase()}`;
      name = `${word} ${name}`;
      sample.rareWords.push(word.toLowerCase());
    }
    const diffusible = category !== '1000' || rnd() > 0.12;
    const closed = rnd() < 0.08;
    const band = BANDS[bandCumulative.findIndex((c) => c >= rnd() * bandCumulative[bandCumulative.length - 1]!)] ?? 'NN';
    const row = new Array<string>(UNIT_COLUMNS.length).fill('');
    const set = (column: string, value: string) => (row[unitIndex.get(column)!] = value);
    set('siren', siren);
    set('statutDiffusionUniteLegale', diffusible ? 'O' : 'P');
    set('dateCreationUniteLegale', `${1980 + Math.floor(rnd() * 44)}-0${1 + Math.floor(rnd() * 9)}-15`);
    set('sigleUniteLegale', sigle);
    set('nomUniteLegale', diffusible ? last : last ? '[ND]' : '');
    set('prenom1UniteLegale', diffusible ? first : first ? '[ND]' : '');
    set('prenomUsuelUniteLegale', diffusible ? first : first ? '[ND]' : '');
    set('trancheEffectifsUniteLegale', band);
    set('dateDernierTraitementUniteLegale', '2025-06-01T03:00:00');
    set('nombrePeriodesUniteLegale', '1');
    set('dateDebut', '2020-01-01');
    set('etatAdministratifUniteLegale', closed ? 'C' : 'A');
    set('denominationUniteLegale', name);
    // Usual names and signs as Sirene gives them, derived from the unit's
    // number so that the other columns draw the same random values as before.
    if (name && i % 10 === 1) set('denominationUsuelle1UniteLegale', `${TRADES[i % TRADES.length]} ${town.name}`);
    set('categorieJuridiqueUniteLegale', category);
    set('activitePrincipaleUniteLegale', '70.22Z');
    set('nomenclatureActivitePrincipaleUniteLegale', 'NAFRev2');
    set('nicSiegeUniteLegale', '00019');
    set('caractereEmployeurUniteLegale', 'N');
    await write(units, csvLine(row));

    const offices = 1 + (rnd() < 0.3 ? 1 : 0);
    for (let e = 0; e < offices; e++) {
      const nic = String(e + 1).padStart(4, '0');
      const siret = luhnKey(siren + nic);
      const where = e === 0 ? town : pickWeighted(list, cumulative, rnd());
      const est = new Array<string>(ESTABLISHMENT_COLUMNS.length).fill('');
      const put = (column: string, value: string) => (est[estIndex.get(column)!] = value);
      put('siren', siren);
      put('nic', siret.slice(9));
      put('siret', siret);
      put('statutDiffusionEtablissement', diffusible ? 'O' : 'P');
      put('dateDernierTraitementEtablissement', '2025-06-01T03:00:00');
      put('etablissementSiege', e === 0 ? 'true' : 'false');
      put('nombrePeriodesEtablissement', '1');
      put('numeroVoieEtablissement', String(1 + Math.floor(rnd() * 120)));
      put('typeVoieEtablissement', pick(STREET_TYPES));
      put('libelleVoieEtablissement', pick(STREETS));
      put('codePostalEtablissement', where.postcode);
      put('libelleCommuneEtablissement', where.name);
      put('codeCommuneEtablissement', where.code);
      put('dateDebut', '2020-01-01');
      put('etatAdministratifEtablissement', closed ? 'F' : 'A');
      if (e > 0 || i % 20 === 3) put('enseigne1Etablissement', `${TRADES[(i + e) % TRADES.length]} ${PLACES[i % PLACES.length]}`);
      put('activitePrincipaleEtablissement', '70.22Z');
      put('nomenclatureActivitePrincipaleEtablissement', 'NAFRev2');
      put('caractereEmployeurEtablissement', 'N');
      await write(establishments, csvLine(est));
      if (e === 0 && !closed && diffusible && i % Math.max(1, Math.floor(count / 50)) === 3) {
        sample.sirens.push(siren);
        sample.sirets.push(siret);
      }
    }
  }
  units.end();
  establishments.end();
  await Promise.all([once(units, 'finish'), once(establishments, 'finish')]);
  return sample;
}
