import { execFile, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/db/database.js';
import { searchDirectory } from '../../server/directory/directory.service.js';
import { generateSirene, type GeneratedFiles } from './generate-sirene.js';

// `npm run bench`: the organisation directory at national scale. For each size
// (BENCH_SIZES, default 100 000 and 1 000 000 units; the issue's figures are
// 1 000 000,5 000 000) it generates Sirene-format files, loads them bare (the
// import's baseline, bare-import-child.ts), imports them in a child process
// (rows/s, peak memory), measures each table and index of the database, and
// times searches through the HTTP API (the service in a process of its own,
// one kept-alive connection) and directly through the service's search
// function on the same database file, with the CPU time each costs. The sizes
// are printed side by side, with a projection to the whole Sirene stock.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dataRoot = path.join(root, 'bench/data');
const resultsDir = path.join(root, 'bench/results');
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
/** The Sirene stock: about 30 million legal units (and 40 million establishments). */
const NATIONAL_UNITS = 30_000_000;

interface LoadFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
}

interface ImportFigures extends LoadFigures {
  inputMiB: number;
  databaseMiB: number;
}

type Stats = { p50: number; p95: number; p99: number };

interface CategoryFigures {
  http: Stats;
  direct: Stats;
  ratio: number;
  /** CPU time of the service per HTTP search, and of the benchmark's process per direct search (ms). */
  httpCpuMs: number;
  directCpuMs: number;
}

interface SizeFigures {
  units: number;
  bare: LoadFigures & { databaseMiB: number };
  import: ImportFigures;
  /** MiB per table and index (SQLite's dbstat), largest first. */
  objects: { name: string; mib: number }[];
  search: {
    byCategory: Record<string, CategoryFigures>;
    overall: CategoryFigures;
    httpFloor: Stats & { cpuMs: number };
    /** SIREN and SIRET searches through HTTP, each followed by a request to the floor. */
    identifiers: Record<string, { http: Stats; floor: Stats }>;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

async function files(units: number): Promise<GeneratedFiles> {
  const dir = path.join(dataRoot, String(units));
  const manifest = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')) as GeneratedFiles;
  process.stderr.write(`Génération de ${units.toLocaleString('fr-FR')} unités légales au format Sirene…\n`);
  const generated = await generateSirene(dir, units);
  fs.writeFileSync(manifest, JSON.stringify(generated));
  return generated;
}

function removeDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

function databaseSize(file: string): number {
  return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).reduce((n, f) => n + fs.statSync(f).size, 0) / 2 ** 20;
}

async function child<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await run('npx', ['tsx', path.join('test/bench', script), ...args], { cwd: root, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

async function bareFigures(units: number, generated: GeneratedFiles): Promise<SizeFigures['bare']> {
  const database = path.join(dataRoot, String(units), 'bare.sqlite');
  removeDatabase(database);
  process.stderr.write(`Chargement brut de ${units.toLocaleString('fr-FR')} unités (référence)…\n`);
  const figures = await child<LoadFigures>('bare-import-child.ts', [database, generated.units, generated.establishments]);
  const databaseMiB = databaseSize(database);
  removeDatabase(database);
  return { ...figures, databaseMiB };
}

async function importFigures(units: number, generated: GeneratedFiles): Promise<{ figures: ImportFigures; database: string }> {
  const database = path.join(dataRoot, String(units), 'guichet.sqlite');
  removeDatabase(database);
  process.stderr.write(`Import de ${units.toLocaleString('fr-FR')} unités…\n`);
  const figures = await child<Omit<ImportFigures, 'databaseMiB'>>('import-child.ts', [database, generated.units, generated.establishments]);
  return { figures: { ...figures, databaseMiB: databaseSize(database) }, database };
}

/** Each table and index of at least 0.1 MiB, from SQLite's dbstat (compiled into Node's SQLite); the rest as one line. */
function objectSizes(database: string): { name: string; mib: number }[] {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as unknown as { name: string; bytes: number }[];
    const large = rows.filter((r) => r.bytes >= 0.1 * 2 ** 20).map((r) => ({ name: r.name, mib: r.bytes / 2 ** 20 }));
    const rest = rows.filter((r) => r.bytes < 0.1 * 2 ** 20).reduce((n, r) => n + r.bytes, 0) / 2 ** 20;
    // The staging tables' pages, emptied by the apply: the file keeps them,
    // and the next import fills them again before the file grows.
    const { bytes } = db.prepare('SELECT (SELECT freelist_count FROM pragma_freelist_count()) * (SELECT page_size FROM pragma_page_size()) AS bytes').get() as { bytes: number };
    const free = bytes / 2 ** 20;
    return [...large, { name: '(autres tables et index)', mib: rest }, { name: '(pages libres : tables de transit vidées)', mib: free }];
  } finally {
    db.close();
  }
}

/** One GET on a kept-alive connection; resolves with the status once the whole body is read. */
function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** The search service's CPU time since the previous call (ms). */
function serviceCpu(service: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    service.once('message', (m: { cpuMs: number }) => resolve(m.cpuMs));
    service.send('cpu');
  });
}

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function searchFigures(database: string, generated: GeneratedFiles): Promise<SizeFigures['search']> {
  const service = fork(path.join(import.meta.dirname, 'search-service.ts'), [database], { cwd: root, execArgv: ['--import', 'tsx'] });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    service.once('message', (m: { url: string }) => resolve(m));
    service.once('exit', (code) => reject(new Error(`search service stopped (exit ${code})`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const direct = openDatabase(database);
  const mix: Record<string, string[]> = {
    'mots préfixes': ['saint eti', 'boul mar', 'asso sport', 'plomb dub', 'renov'],
    'ville + nom': ['boulangerie lyon', 'association sportive marseille', 'garage toulouse', 'sci martin nantes', 'conseil bordeaux'],
    SIREN: generated.sirens.slice(0, 5),
    SIRET: generated.sirets.slice(0, 5),
    'mot rare': generated.rareWords.slice(0, 5),
    'mot très courant': ['association', 'sci', 'paris', 'saint', 'conseil'],
  };
  const byCategory: Record<string, CategoryFigures> = {};
  const all = { http: [] as number[], direct: [] as number[], httpCpu: 0, directCpu: 0, n: 0 };
  for (const [category, queries] of Object.entries(mix)) {
    const httpMs: number[] = [];
    const directMs: number[] = [];
    let httpCpu = 0;
    let directCpu = 0;
    for (const q of queries) {
      const target = `${url}/api/directory/search?q=${encodeURIComponent(q)}`;
      for (let i = 0; i < 20; i++) {
        await get(agent, target);
        await searchDirectory(direct.db, direct.kind, q, 1);
      }
      await serviceCpu(service);
      for (let i = 0; i < ITERATIONS / queries.length; i++) {
        let t = performance.now();
        const status = await get(agent, target);
        if (status !== 200) throw new Error(`${q}: HTTP ${status}`);
        httpMs.push(performance.now() - t);
        const cpu = process.cpuUsage();
        t = performance.now();
        await searchDirectory(direct.db, direct.kind, q, 1);
        directMs.push(performance.now() - t);
        directCpu += cpuMsSince(cpu);
      }
      httpCpu += await serviceCpu(service);
    }
    all.http.push(...httpMs);
    all.direct.push(...directMs);
    all.httpCpu += httpCpu;
    all.directCpu += directCpu;
    all.n += httpMs.length;
    const h = stats(httpMs);
    const d = stats(directMs);
    byCategory[category] = { http: h, direct: d, ratio: h.p95 / d.p95, httpCpuMs: httpCpu / httpMs.length, directCpuMs: directCpu / directMs.length };
  }
  // The service's HTTP floor: a route that reads nothing, through the same
  // plugins (headers, cookies, access check) and the same connection. Below
  // a millisecond of database time, as for identifiers, it is most of a search.
  const floorMs: number[] = [];
  for (let i = 0; i < ITERATIONS + 20; i++) {
    if (i === 20) await serviceCpu(service);
    const t = performance.now();
    await get(agent, `${url}/api/health`);
    if (i >= 20) floorMs.push(performance.now() - t);
  }
  const floorCpu = (await serviceCpu(service)) / ITERATIONS;
  // Identifier look-ups next to the floor, one request of each in turn: both
  // then meet the same moments of a busy machine.
  const identifiers: Record<string, { http: Stats; floor: Stats }> = {};
  for (const category of ['SIREN', 'SIRET']) {
    const httpMs: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const q = mix[category]![i % mix[category]!.length]!;
      let t = performance.now();
      await get(agent, `${url}/api/directory/search?q=${encodeURIComponent(q)}`);
      httpMs.push(performance.now() - t);
      t = performance.now();
      await get(agent, `${url}/api/health`);
      floor.push(performance.now() - t);
    }
    identifiers[category] = { http: stats(httpMs), floor: stats(floor) };
  }
  agent.destroy();
  await direct.close();
  service.send('stop');
  await new Promise((resolve) => service.once('exit', resolve));
  const h = stats(all.http);
  const d = stats(all.direct);
  return {
    byCategory,
    overall: { http: h, direct: d, ratio: h.p95 / d.p95, httpCpuMs: all.httpCpu / all.n, directCpuMs: all.directCpu / all.n },
    httpFloor: { ...stats(floorMs), cpuMs: floorCpu },
    identifiers,
  };
}

const measured: SizeFigures[] = [];
for (const units of sizes) {
  const generated = await files(units);
  const bare = await bareFigures(units, generated);
  const { figures, database } = await importFigures(units, generated);
  process.stderr.write(`Recherches sur ${units.toLocaleString('fr-FR')} unités…\n`);
  measured.push({ units, bare, import: figures, objects: objectSizes(database), search: await searchFigures(database, generated) });
}

// ----- report --------------------------------------------------------------

const fr = (v: number, digits = 0) => v.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const col = (v: string) => v.padStart(16);
const lines: string[] = [''];
const row = (label: string, values: string[], note = '') => lines.push(`  ${label.padEnd(34)}${values.map(col).join('')}${note ? `  ${note}` : ''}`);
const ratioNote = (values: number[]) => (values.length > 1 ? `×${fr(values[values.length - 1]! / values[0]!, 2)} de ${fr(sizes[0]!)} à ${fr(sizes[sizes.length - 1]!)}` : '');

lines.push(`Annuaire à l'échelle nationale — ${os.cpus().length} cœurs, Node ${process.version}, charge moyenne ${fr(os.loadavg()[0]!, 1)} au départ`);
row('unités légales', measured.map((m) => fr(m.units)));
lines.push('', 'Import (fichiers Sirene générés : unités légales + établissements)');
row('lignes lues', measured.map((m) => fr(m.import.rows)));
row('secondes', measured.map((m) => fr(m.import.seconds, 1)));
row('lignes/s', measured.map((m) => fr(m.import.rowsPerSecond)), ratioNote(measured.map((m) => m.import.rowsPerSecond)));
row('chargement brut, lignes/s', measured.map((m) => fr(m.bare.rowsPerSecond)), '(node:sqlite : CSV tel quel, un FTS5 sur les noms, index SIREN et SIRET)');
row('rapport import / chargement brut', measured.map((m) => `${fr(m.import.rowsPerSecond / m.bare.rowsPerSecond, 2)}×`));
row('mémoire max (Mio)', measured.map((m) => fr(m.import.peakRssMiB)));
row('entrée (Mio)', measured.map((m) => fr(m.import.inputMiB)));
row('base (Mio)', measured.map((m) => fr(m.import.databaseMiB)), ratioNote(measured.map((m) => m.import.databaseMiB)));
row('base, octets par unité', measured.map((m) => fr((m.import.databaseMiB * 2 ** 20) / m.units)));
row('base du chargement brut (Mio)', measured.map((m) => fr(m.bare.databaseMiB)));

lines.push('', 'Taille par table et index (Mio, dbstat)');
const names = [...new Set(measured.flatMap((m) => m.objects.map((o) => o.name)))];
const sizeOf = (m: SizeFigures, name: string) => m.objects.find((o) => o.name === name)?.mib ?? 0;
names.sort((a, b) => sizeOf(measured[measured.length - 1]!, b) - sizeOf(measured[measured.length - 1]!, a));
for (const name of names) row(name, measured.map((m) => fr(sizeOf(m, name), 1)));

lines.push('', `Recherche (${ITERATIONS} requêtes par catégorie ; ms : p95 HTTP / p95 en processus ; CPU ms par recherche : service HTTP / en processus)`);
const categories = [...Object.keys(measured[0]!.search.byCategory), 'ensemble'];
for (const category of categories) {
  const of = (m: SizeFigures) => (category === 'ensemble' ? m.search.overall : m.search.byCategory[category]!);
  row(`${category}, p95`, measured.map((m) => `${fr(of(m).http.p95, 2)} / ${fr(of(m).direct.p95, 2)}`), ratioNote(measured.map((m) => of(m).http.p95)));
  row(`${category}, CPU ms`, measured.map((m) => `${fr(of(m).httpCpuMs, 2)} / ${fr(of(m).directCpuMs, 2)}`), ratioNote(measured.map((m) => of(m).directCpuMs)));
  row(`${category}, HTTP/processus p95`, measured.map((m) => fr(of(m).ratio, 2)));
}
row('plancher HTTP p95 (GET /api/health)', measured.map((m) => fr(m.search.httpFloor.p95, 2)));
row('plancher HTTP, CPU ms', measured.map((m) => fr(m.search.httpFloor.cpuMs, 2)));
for (const category of ['SIREN', 'SIRET']) {
  const of = (m: SizeFigures) => m.search.identifiers[category]!;
  row(`${category} / plancher en alternance, p95`, measured.map((m) => `${fr(of(m).http.p95, 2)} / ${fr(of(m).floor.p95, 2)}`), 'écart : ' + measured.map((m) => fr(of(m).http.p95 - of(m).floor.p95, 2)).join(' ; ') + ' ms');
}

// The whole Sirene stock, from the two largest sizes measured: each figure
// taken as a straight line through them (a time per unit that grows, a size,
// a latency), which a slower growth beyond would only better.
let projection: Record<string, number> | null = null;
if (measured.length >= 2) {
  const [a, b] = measured.slice(-2) as [SizeFigures, SizeFigures];
  const at = (ya: number, yb: number) => yb + ((yb - ya) * (NATIONAL_UNITS - b.units)) / (b.units - a.units);
  const secondsPerUnit = Math.max(b.import.seconds / b.units, at(a.import.seconds / a.units, b.import.seconds / b.units));
  const rowsPerUnit = b.import.rows / b.units;
  projection = {
    importMinutes: (secondsPerUnit * NATIONAL_UNITS) / 60,
    rowsPerSecond: rowsPerUnit / secondsPerUnit,
    databaseGiB: Math.max(b.import.databaseMiB, at(a.import.databaseMiB, b.import.databaseMiB)) / 1024,
  };
  for (const category of categories) {
    const of = (m: SizeFigures) => (category === 'ensemble' ? m.search.overall : m.search.byCategory[category]!);
    projection[`${category} p95 HTTP ms`] = Math.max(of(b).http.p95, at(of(a).http.p95, of(b).http.p95));
    projection[`${category} CPU ms`] = Math.max(of(b).directCpuMs, at(of(a).directCpuMs, of(b).directCpuMs));
  }
  lines.push('', `Projection à ${fr(NATIONAL_UNITS)} unités (droite passant par ${fr(a.units)} et ${fr(b.units)})`);
  lines.push(`  import : ${fr(projection.importMinutes!)} min à ${fr(projection.rowsPerSecond!)} lignes/s ; base : ${fr(projection.databaseGiB!, 1)} Gio`);
  for (const category of categories) {
    lines.push(`  ${category.padEnd(18)} p95 HTTP ${fr(projection[`${category} p95 HTTP ms`]!, 1)} ms, CPU ${fr(projection[`${category} CPU ms`]!, 2)} ms par recherche`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
fs.mkdirSync(resultsDir, { recursive: true });
const output = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg()[0] }, sizes: measured, projection };
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`\nRésultats écrits dans bench/results/latest.json\n`);
