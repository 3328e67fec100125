import { execFile, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/db/database.js';
import { searchDirectory } from '../../server/directory/directory.service.js';
import { generateSirene, type GeneratedFiles } from './generate-sirene.js';

// `npm run bench`: the organisation directory at national scale. For each size
// (BENCH_SIZES, default 100 000 and 1 000 000 units) it generates Sirene-format
// files, imports them in a child process (rows/s, peak memory), and for the
// largest size measures search latency through the HTTP API (the service in
// a process of its own, one kept-alive connection) and directly through the
// service's search function on the same database file.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dataRoot = path.join(root, 'bench/data');
const resultsDir = path.join(root, 'bench/results');
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);

interface ImportFigures {
  units: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  inputMiB: number;
  databaseMiB: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(samples: number[]) {
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

function databaseSize(file: string): number {
  return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).reduce((n, f) => n + fs.statSync(f).size, 0) / 2 ** 20;
}

async function importFigures(units: number, generated: GeneratedFiles): Promise<{ figures: ImportFigures; database: string }> {
  const database = path.join(dataRoot, String(units), 'guichet.sqlite');
  for (const f of [database, `${database}-wal`, `${database}-shm`]) fs.rmSync(f, { force: true });
  process.stderr.write(`Import de ${units.toLocaleString('fr-FR')} unités…\n`);
  const { stdout } = await run('npx', ['tsx', 'test/bench/import-child.ts', database, generated.units, generated.establishments], {
    cwd: root,
    maxBuffer: 1 << 24,
  });
  const child = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<ImportFigures, 'units' | 'databaseMiB'>;
  return { figures: { units, ...child, databaseMiB: databaseSize(database) }, database };
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

async function searchFigures(database: string, generated: GeneratedFiles) {
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
  const results: Record<string, { http: ReturnType<typeof stats>; direct: ReturnType<typeof stats>; ratio: number }> = {};
  const allHttp: number[] = [];
  const allDirect: number[] = [];
  for (const [category, queries] of Object.entries(mix)) {
    const httpMs: number[] = [];
    const directMs: number[] = [];
    for (const q of queries) {
      const target = `${url}/api/directory/search?q=${encodeURIComponent(q)}`;
      for (let i = 0; i < 20; i++) await get(agent, target);
      for (let i = 0; i < ITERATIONS / queries.length; i++) {
        let t = performance.now();
        const status = await get(agent, target);
        if (status !== 200) throw new Error(`${q}: HTTP ${status}`);
        httpMs.push(performance.now() - t);
        t = performance.now();
        await searchDirectory(direct.db, direct.kind, q, 1);
        directMs.push(performance.now() - t);
      }
    }
    allHttp.push(...httpMs);
    allDirect.push(...directMs);
    const h = stats(httpMs);
    const d = stats(directMs);
    results[category] = { http: h, direct: d, ratio: h.p95 / d.p95 };
  }
  // The service's HTTP floor: a route that reads nothing, through the same
  // plugins (headers, cookies, access check) and the same connection. Below
  // a millisecond of database time, as for identifiers, it is most of a search.
  const floorMs: number[] = [];
  for (let i = 0; i < ITERATIONS + 20; i++) {
    const t = performance.now();
    await get(agent, `${url}/api/health`);
    if (i >= 20) floorMs.push(performance.now() - t);
  }
  agent.destroy();
  await direct.close();
  service.send('stop');
  await new Promise((resolve) => service.once('exit', resolve));
  const h = stats(allHttp);
  const d = stats(allDirect);
  return { byCategory: results, overall: { http: h, direct: d, ratio: h.p95 / d.p95 }, httpFloor: stats(floorMs) };
}

const ms = (n: number) => n.toFixed(2).padStart(7);
const imports: ImportFigures[] = [];
let last: { database: string; generated: GeneratedFiles } | null = null;
for (const units of sizes) {
  const generated = await files(units);
  const { figures, database } = await importFigures(units, generated);
  imports.push(figures);
  last = { database, generated };
}
const search = last ? await searchFigures(last.database, last.generated) : null;

const lines = ['', 'Import (fichiers Sirene générés : unités légales + établissements)', '  unités       lignes    secondes   lignes/s   mémoire max   entrée     base'];
for (const f of imports) {
  lines.push(
    `  ${f.units.toLocaleString('fr-FR').padStart(9)} ${f.rows.toLocaleString('fr-FR').padStart(11)} ${f.seconds.toFixed(1).padStart(9)} ${Math.round(f.rowsPerSecond).toLocaleString('fr-FR').padStart(10)} ${f.peakRssMiB.toFixed(0).padStart(9)} Mio ${f.inputMiB.toFixed(0).padStart(6)} Mio ${f.databaseMiB.toFixed(0).padStart(5)} Mio`,
  );
}
if (search) {
  lines.push('', `Recherche sur ${imports[imports.length - 1]!.units.toLocaleString('fr-FR')} unités (${ITERATIONS} requêtes par catégorie, en ms)`);
  lines.push('  catégorie            HTTP p50  HTTP p95  HTTP p99 | base p50  base p95  base p99 | HTTP/base p95');
  for (const [category, r] of [...Object.entries(search.byCategory), ['ensemble', search.overall] as const]) {
    lines.push(
      `  ${category.padEnd(18)} ${ms(r.http.p50)}   ${ms(r.http.p95)}   ${ms(r.http.p99)} | ${ms(r.direct.p50)}   ${ms(r.direct.p95)}   ${ms(r.direct.p99)} | ${r.ratio.toFixed(2)}`,
    );
  }
  const f = search.httpFloor;
  lines.push(`  plancher HTTP      ${ms(f.p50)}   ${ms(f.p95)}   ${ms(f.p99)} | (GET /api/health : le service sans base de données)`);
}
process.stdout.write(`${lines.join('\n')}\n`);
fs.mkdirSync(resultsDir, { recursive: true });
const output = { date: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, imports, search };
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`\nRésultats écrits dans bench/results/latest.json\n`);
