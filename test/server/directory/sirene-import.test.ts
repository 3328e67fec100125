import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/test-database.js';

const UNITS = 'test/fixtures/sirene/StockUniteLegale_sample.csv';
const ESTABLISHMENTS = 'test/fixtures/sirene/StockEtablissement_sample.csv';
const OPH = '279300016';
const ASSOCIATION = '442123451';
const COMPANY = '552100554';
const CLOSED = '389123456';
const NON_DIFFUSIBLE = '812345676';
const SEM = '302123450';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterEach(async () => {
  await t.close();
});

async function search(q: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q } });
  return res.json();
}

const importFiles = (files = [UNITS, ESTABLISHMENTS], options = {}) => importSirene(t.app.ctx, t.clock, files, options);

/** `digits` followed by the Luhn check digit that SIREN and SIRET end with. */
function withCheckDigit(digits: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = `${digits}${check}`;
    const sum = [...candidate].reverse().reduce((n, c, i) => {
      const d = Number(c) * (i % 2 ? 2 : 1);
      return n + (d > 9 ? d - 9 : d);
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const siren = (n: number): string => withCheckDigit(String(n).padStart(8, '0'));

/**
 * Sirene files of `count` units made after the sample association, each with
 * its head office; every tenth unit has an invalid legal category.
 */
function generatedFiles(dir: string, count: number): { units: string; establishments: string; valid: number } {
  const unitLines = fs.readFileSync(UNITS, 'utf8').trimEnd().split('\n');
  const headLines = fs.readFileSync(ESTABLISHMENTS, 'utf8').trimEnd().split('\n');
  const unitRow = unitLines.find((l) => l.startsWith(ASSOCIATION))!;
  const headRow = headLines.find((l) => l.startsWith(ASSOCIATION))!;
  const units = [unitLines[0]];
  const heads = [headLines[0]];
  for (let i = 0; i < count; i++) {
    const id = siren(30_000_000 + i);
    const unit = unitRow.replace(ASSOCIATION, id).replace('QUARTIERS FERTILES', `QUARTIERS FERTILES N${i}`);
    units.push(i % 10 === 9 ? unit.replace(',9220,', ',92X0,') : unit);
    const head = headRow.replace(/^\d{9},\d{5},\d{14},/, `${id},00012,${withCheckDigit(`${id}0001`)},`);
    heads.push(head.replace('TREFILERIE', `TREFILERIE ${i}`));
  }
  const files = { units: path.join(dir, 'StockUniteLegale_utf8.csv'), establishments: path.join(dir, 'StockEtablissement_utf8.csv') };
  fs.writeFileSync(files.units, `${units.join('\n')}\n`);
  fs.writeFileSync(files.establishments, `${heads.join('\n')}\n`);
  return { ...files, valid: count - Math.floor(count / 10) };
}

describe('importing Sirene files', () => {
  it('adds units with their head office, skips secondary establishments, and reports rejected rows with why', async () => {
    const summary = await importFiles();
    expect(summary).toMatchObject({ rowsRead: 18, inserted: 6, updated: 0, closed: 0, unchanged: 1, skipped: 1 });
    expect(summary.rejected).toEqual({
      'SIREN absent ou invalide': 1,
      'catégorie juridique absente ou invalide': 1,
      'SIRET absent ou invalide': 1,
    });
    const found = await search('quartiers fertiles etiennois');
    expect(found.results[0]).toMatchObject({ siren: ASSOCIATION, kind: 'Association', town: 'SAINT-ETIENNE', postcodes: ['42100'], departement: '42' });
    expect((await search('lssd')).results[0]).toMatchObject({ siren: OPH, legalCategoryLabel: "Office public d'habitation à loyer modéré (OPHLM)" });
  });

  it('finds an imported unit by the SIRET of its head office, spaces allowed', async () => {
    await importFiles();
    const row = await t.app.ctx.db.selectFrom('organisations').select('head_siret').where('siren', '=', COMPANY).executeTakeFirstOrThrow();
    const spaced = `${row.head_siret!.slice(0, 3)} ${row.head_siret!.slice(3, 6)} ${row.head_siret!.slice(6, 9)} ${row.head_siret!.slice(9)}`;
    expect((await search(spaced)).results).toEqual([expect.objectContaining({ siren: COMPANY, town: 'PARIS 2' })]);
  });

  it('keeps the shipped communes as they are', async () => {
    await importFiles();
    expect((await search('214202186')).results[0]).toMatchObject({ name: 'Saint-Étienne', town: 'Saint-Étienne' });
  });

  it('hides closed units from search, and shows nothing but identifiers of non-diffusible ones', async () => {
    await importFiles();
    expect((await search('val ferme')).total).toBe(0);
    expect((await search(CLOSED)).results).toEqual([]);
    const person = await search(NON_DIFFUSIBLE);
    expect(person.results).toEqual([
      expect.objectContaining({ siren: NON_DIFFUSIBLE, name: 'Organisme non diffusible', town: null, postcodes: [], departement: null }),
    ]);
    expect((await search('nd')).results.map((r: { siren: string }) => r.siren)).not.toContain(NON_DIFFUSIBLE);
  });

  it('changes nothing when run twice on the same files', async () => {
    await importFiles();
    const before = await t.app.ctx.db.selectFrom('organisations').selectAll().orderBy('siren').execute();
    const again = await importFiles();
    expect(again).toMatchObject({ inserted: 0, updated: 0, closed: 0, unchanged: 7 });
    expect(await t.app.ctx.db.selectFrom('organisations').selectAll().orderBy('siren').execute()).toEqual(before);
  });

  it('resumes an interrupted import, and searches never see it half done', async () => {
    let batches = 0;
    await expect(
      importFiles([UNITS, ESTABLISHMENTS], {
        batchSize: 2,
        onProgress: () => {
          batches++;
          if (batches === 3) throw new Error('coupure de courant');
        },
      }),
    ).rejects.toThrow('coupure de courant');
    expect((await search('quartiers fertiles')).total).toBe(0);
    const progress = await t.app.ctx.db.selectFrom('directory_imports').selectAll().execute();
    expect(progress).toEqual([expect.objectContaining({ rows_done: 6, status: 'staging' })]);

    const resumed = await importFiles();
    expect(resumed).toMatchObject({ resumedFrom: 6, inserted: 6 });
    expect((await search('quartiers fertiles')).results[0].siren).toBe(ASSOCIATION);
    expect(await t.app.ctx.db.selectFrom('staging_units').selectAll().execute()).toEqual([]);
  });

  it('resumes where it stopped when interrupted while the files are read ahead, rejected rows of both runs counted', async () => {
    const dir = tempDir('guichet-sirene-');
    const files = generatedFiles(dir, 3000);
    let batches = 0;
    await expect(
      importFiles([files.units, files.establishments], {
        batchSize: 100,
        onProgress: () => {
          if (++batches === 7) throw new Error('coupure de courant');
        },
      }),
    ).rejects.toThrow('coupure de courant');
    const progress = await t.app.ctx.db.selectFrom('directory_imports').selectAll().execute();
    expect(progress).toEqual([expect.objectContaining({ rows_done: 700, rejected: JSON.stringify({ 'catégorie juridique absente ou invalide': 70 }) })]);
    expect(await t.app.ctx.db.selectFrom('staging_units').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()).toEqual({ n: 630 });

    const resumed = await importFiles([files.units, files.establishments], { batchSize: 100 });
    expect(resumed).toMatchObject({ resumedFrom: 700, rowsRead: 6000 - 700, inserted: files.valid, skipped: 0 });
    expect(resumed.rejected).toEqual({ 'catégorie juridique absente ou invalide': 300 });
    const imported = await t.app.ctx.db.selectFrom('organisations').select(['siren', 'town']).where('source', '=', 'sirene').execute();
    expect(imported).toHaveLength(files.valid);
    expect(new Set(imported.map((o) => o.siren)).size).toBe(files.valid);
    expect(imported.every((o) => o.town === 'SAINT-ETIENNE')).toBe(true);
    expect((await search('quartiers fertiles n2998')).results).toEqual([expect.objectContaining({ siren: siren(30_002_998) })]);
    expect((await search(siren(30_000_005))).results).toEqual([
      expect.objectContaining({ name: 'ASSOCIATION QUARTIERS FERTILES N5 DE L ETIENNOIS', town: 'SAINT-ETIENNE' }),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads names holding commas, quotes or line breaks, and rejects records too short to hold a unit', async () => {
    const dir = tempDir('guichet-sirene-');
    const lines = fs.readFileSync(UNITS, 'utf8').trimEnd().split('\n');
    const header = lines[0]!;
    const row = lines.find((l) => l.startsWith(COMPANY))!;
    const quoted = row.replace('RENOVATION URBAINE ET PATRIMOINE', '"RENOVATION, URBAINE ""ET""\nPATRIMOINE"');
    const file = path.join(dir, 'StockUniteLegale_utf8.csv');
    fs.writeFileSync(file, `${header}\n${quoted}\n${siren(30_000_001)},O,,2004-03-01\n`);
    const summary = await importFiles([file]);
    expect(summary).toMatchObject({ rowsRead: 2, inserted: 1, rejected: { 'catégorie juridique absente ou invalide': 1 } });
    expect((await search('renovation urbaine patrimoine')).results).toEqual([
      expect.objectContaining({ siren: COMPANY, name: 'RENOVATION, URBAINE "ET"\nPATRIMOINE' }),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file with a byte order mark, Windows line endings and accented names', async () => {
    const dir = tempDir('guichet-sirene-');
    const lines = fs.readFileSync(UNITS, 'utf8').trimEnd().split('\n');
    const row = lines.find((l) => l.startsWith(COMPANY))!.replace('RENOVATION URBAINE ET PATRIMOINE', 'SOCIÉTÉ DES ÉTUDES STÉPHANOISES');
    const file = path.join(dir, 'StockUniteLegale_utf8.csv');
    fs.writeFileSync(file, `\uFEFF${lines[0]}\r\n${row}\r\n`);
    expect(await importFiles([file])).toMatchObject({ rowsRead: 1, inserted: 1, rejected: {} });
    expect((await search('societe etudes stephanoises')).results).toEqual([expect.objectContaining({ siren: COMPANY, name: 'SOCIÉTÉ DES ÉTUDES STÉPHANOISES' })]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails with the reading error when a file goes missing midway, and can be run again', async () => {
    const dir = tempDir('guichet-sirene-');
    const establishments = path.join(dir, 'StockEtablissement_utf8.csv');
    fs.copyFileSync(ESTABLISHMENTS, establishments);
    await expect(importFiles([UNITS, establishments], { onProgress: () => fs.rmSync(establishments, { force: true }) })).rejects.toThrow(/ENOENT/);
    expect((await search('quartiers fertiles')).total).toBe(0);
    fs.copyFileSync(ESTABLISHMENTS, establishments);
    expect(await importFiles([UNITS, establishments])).toMatchObject({ inserted: 6 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies a monthly update: a unit that closed leaves search', async () => {
    await importFiles();
    expect((await search('renovation urbaine patrimoine')).total).toBe(1);
    const dir = tempDir('guichet-sirene-');
    const update = path.join(dir, 'StockUniteLegale_update.csv');
    const lines = fs.readFileSync(UNITS, 'utf8').split('\n');
    const header = lines[0]!;
    const row = lines.find((l) => l.startsWith(COMPANY))!.replace('2025-06-01T12:00:00', '2025-07-01T08:00:00').replace(',A,', ',C,');
    fs.writeFileSync(update, `${header}\n${row}\n`);
    const summary = await importFiles([update]);
    expect(summary).toMatchObject({ closed: 1, inserted: 0 });
    expect((await search('renovation urbaine patrimoine')).total).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ranks an exact name first, then public bodies before companies', async () => {
    await importFiles();
    const seen: { siren: string; name: string; legalCategory: string }[] = [];
    for (let page = 1; page <= 10 && !seen.some((r) => r.siren === SEM); page++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q: 'saint etienne', page: String(page) } });
      seen.push(...res.json().results);
    }
    expect(seen[0]!.name).toBe('Saint-Étienne');
    const sem = seen.findIndex((r) => r.siren === SEM);
    expect(sem).toBeGreaterThan(0);
    expect(seen.slice(0, sem).every((r) => r.legalCategory.startsWith('7'))).toBe(true);
    expect(seen.map((r) => r.name)).toContain('Saint-Étienne Métropole');
  });

  it('refuses a file that is not a Sirene file, in French', async () => {
    const dir = tempDir('guichet-sirene-');
    const other = path.join(dir, 'clients.csv');
    fs.writeFileSync(other, 'nom,ville\nDupont,Lyon\n');
    await expect(importFiles([other])).rejects.toThrow(/n'est pas un fichier Sirene reconnu/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
