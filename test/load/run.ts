import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { QueueResponse, RejectionReason, SearchResult } from '../../common/api/staff.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl } from '../support/test-database.js';
import { captchaCpuMs } from './captcha-cost.js';
import { PostgresBackendCpu } from './postgres-cpu.js';
import { LOAD_CAPTCHA, type CpuReport, type ServiceReady } from './protocol.js';

// `npm run bench:load`: the service on loopback under concurrent applicants
// (directory search, captcha, registration), agents (search, request page,
// phone registration) and approvers (queue, claim, approve or reject), on
// SQLite then on PostgreSQL, next to a bare Fastify route. Closed loops: each
// simulated person sends a request, waits for its answer, sends the next.
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    users: { type: 'string', default: '64' },
    database: { type: 'string', default: 'both' },
    // Instances of the service on the one database, as behind a load
    // balancer (issue 4). By default one per core on PostgreSQL, and one on
    // SQLite: its driver is synchronous, so an instance waiting for another
    // process's write lock stops answering meanwhile (measured with two
    // instances: 76 registrations/s instead of 169).
    instances: { type: 'string', default: 'auto' },
  },
});
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const USERS = Number(args.users);
const instancesFor = (kind: 'sqlite' | 'postgres'): number => (args.instances !== 'auto' ? Number(args.instances) : kind === 'sqlite' ? 1 : os.availableParallelism());
const KINDS = args.database === 'both' ? (['sqlite', 'postgres'] as const) : ([args.database] as ('sqlite' | 'postgres')[]);
const TARGETS = { registrationsPerSecond: 300, searchesPerSecond: 2000, captchaCpuMsPerImage: 5 };
const CAPTCHA_IMAGES = 200;

const root = path.resolve(import.meta.dirname, '../..');
const resultsFile = path.join(root, 'bench/results/load.json');
const runId = randomBytes(3).toString('hex');

// ----- HTTP, measured ------------------------------------------------------

interface Answer {
  status: number;
  body: string;
}

class Endpoint {
  count = 0;
  latencies: number[] = [];
  statuses = new Map<number, number>();
  networkErrors = 0;

  record(status: number, ms: number): void {
    this.count++;
    this.latencies.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
}

class Phase {
  readonly endpoints = new Map<string, Endpoint>();
  recording = false;
  stopped = false;

  endpoint(label: string): Endpoint {
    let e = this.endpoints.get(label);
    if (!e) this.endpoints.set(label, (e = new Endpoint()));
    return e;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function call(phase: Phase, label: string, base: string, method: string, url: string, body?: unknown, cookie?: string): Promise<Answer | null> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          // A staff member's browser on the Guichet's page: the service takes cookie-carried changes from it alone.
          ...(cookie ? { cookie: `guichet_session=${cookie}`, 'sec-fetch-site': 'same-origin' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (phase.recording) phase.endpoint(label).record(res.statusCode ?? 0, performance.now() - started);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        });
      },
    );
    req.on('error', () => {
      if (phase.recording) phase.endpoint(label).networkErrors++;
      resolve(null);
    });
    req.end(payload);
  });
}

// ----- who does what -------------------------------------------------------

const QUERIES = ['saint', 'lyon', 'st etienne', 'marseille', 'commune de', '69003', 'bordeaux', '214202186', 'paris', 'toulouse', 'nantes', 'lille', 'grenoble', 'rennes', 'office public', 'metz'];
let sequence = 0;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const TRUSTED_SIREN = '214202186';
const ASSOCIATION_SIREN = '775672272';

function registration(siren: string) {
  const n = sequence++;
  return {
    identity: { civility: 'Mme', lastName: 'Charge', firstName: 'Claire', jobTitle: 'Cheffe de projet renouvellement urbain', quartiersFertiles: false },
    organisation: { siren },
    // Saint-Étienne's domain is verified on the service under load: its requests take the trusted path.
    contact: { email: `charge.${runId}.${n}@saint-etienne.fr`, phone: '04 77 48 77 48' },
  };
}

type Loop = (phase: Phase, service: ServiceReady) => Promise<void>;

const searcher: Loop = async (phase, s) => {
  while (!phase.stopped) await call(phase, 'GET /api/directory/search', s.url, 'GET', `/api/directory/search?q=${encodeURIComponent(pick(QUERIES))}`);
};

const bare: Loop = async (phase, s) => {
  while (!phase.stopped) await call(phase, 'GET /bare (Fastify nu)', s.bareUrl, 'GET', '/bare');
};

/**
 * An applicant: looks the organisation up (unless `search` is false), gets a
 * captcha, submits; one in `untrustedEvery` from an association (approval needed).
 */
function applicant(untrustedEvery: number, search = true): Loop {
  return async (phase, s) => {
    while (!phase.stopped) {
      if (search) await call(phase, 'GET /api/directory/search', s.url, 'GET', `/api/directory/search?q=${encodeURIComponent(pick(QUERIES))}`);
      const captcha = await call(phase, 'POST /api/captcha', s.url, 'POST', '/api/captcha');
      if (captcha?.status !== 200) continue;
      const { id } = JSON.parse(captcha.body) as { id: string };
      const siren = untrustedEvery > 0 && sequence % untrustedEvery === 0 ? ASSOCIATION_SIREN : TRUSTED_SIREN;
      await call(phase, 'POST /api/registrations', s.url, 'POST', '/api/registrations', {
        ...registration(siren),
        confirm: { captchaId: id, captchaAnswer: LOAD_CAPTCHA, termsAccepted: true },
      });
    }
  };
}

function deskAgent(token: string): Loop {
  return async (phase, s) => {
    let round = 0;
    while (!phase.stopped) {
      const found = await call(phase, 'GET /api/staff/search', s.url, 'GET', `/api/staff/search?q=${encodeURIComponent(`charge.${runId}`)}`, undefined, token);
      const requests = found?.status === 200 ? (JSON.parse(found.body) as SearchResult).registrations : [];
      if (requests.length > 0) await call(phase, 'GET /api/staff/requests/:id', s.url, 'GET', `/api/staff/requests/${pick(requests).id}`, undefined, token);
      if (round++ % 5 === 0) {
        await call(phase, 'POST /api/staff/phone-registrations', s.url, 'POST', '/api/staff/phone-registrations', { ...registration(TRUSTED_SIREN), confirm: { termsAccepted: true } }, token);
      }
    }
  };
}

function approver(token: string, reasons: string[]): Loop {
  return async (phase, s) => {
    while (!phase.stopped) {
      const queue = await call(phase, 'GET /api/staff/queue', s.url, 'GET', '/api/staff/queue', undefined, token);
      const items = queue?.status === 200 ? (JSON.parse(queue.body) as QueueResponse).items.filter((i) => !i.claimedBy) : [];
      if (items.length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const id = pick(items.slice(0, 10)).id;
      const claimed = await call(phase, 'POST /api/staff/requests/:id/claim', s.url, 'POST', `/api/staff/requests/${id}/claim`, undefined, token);
      if (claimed?.status !== 200) continue;
      if (Math.random() < 0.7) await call(phase, 'POST /api/staff/requests/:id/approve', s.url, 'POST', `/api/staff/requests/${id}/approve`, undefined, token);
      else await call(phase, 'POST /api/staff/requests/:id/reject', s.url, 'POST', `/api/staff/requests/${id}/reject`, { reasonId: pick(reasons), comment: '' }, token);
    }
  };
}

// ----- phases --------------------------------------------------------------

interface EndpointFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  statuses: Record<string, number>;
  serverErrors: number;
  networkErrors: number;
}

interface PhaseFigures {
  name: string;
  description: string;
  seconds: number;
  serviceCores: number;
  /** On PostgreSQL on this machine: the CPU its backends spent for the service. */
  databaseCores: number | null;
  generatorCores: number;
  completeRegistrationsPerSecond: number;
  endpoints: Record<string, EndpointFigures>;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function serviceCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: CpuReport) => resolve(m.cpuSeconds));
    child.send({ type: 'cpu' });
  });
}

/** The service instances of a run: each simulated person keeps to one, as with a load balancer's sticky sessions. */
interface Instances {
  children: ChildProcess[];
  ready: ServiceReady[];
  database: PostgresBackendCpu | null;
}

const instancesCpu = async (instances: Instances): Promise<number> => (await Promise.all(instances.children.map(serviceCpu))).reduce((a, b) => a + b, 0);

async function runPhase(instances: Instances, name: string, description: string, loops: Loop[]): Promise<PhaseFigures> {
  process.stderr.write(`  ${name} : ${description}…\n`);
  const phase = new Phase();
  const running = loops.map((loop, i) => loop(phase, instances.ready[i % instances.ready.length]!));
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  await instancesCpu(instances);
  await instances.database?.start();
  const generatorBefore = process.cpuUsage();
  phase.recording = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  phase.recording = false;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = await instancesCpu(instances);
  const generator = process.cpuUsage(generatorBefore);
  const databaseCpu = (await instances.database?.stop()) ?? null;
  phase.stopped = true;
  await Promise.all(running);

  const endpoints: Record<string, EndpointFigures> = {};
  for (const [label, e] of phase.endpoints) {
    const sorted = e.latencies.sort((a, b) => a - b);
    endpoints[label] = {
      requests: e.count,
      perSecond: e.count / elapsed,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      statuses: Object.fromEntries([...e.statuses].sort(([a], [b]) => a - b)),
      serverErrors: [...e.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0),
      networkErrors: e.networkErrors,
    };
  }
  const accepted = ['POST /api/registrations', 'POST /api/staff/phone-registrations'].reduce((n, label) => n + (endpoints[label]?.statuses['202'] ?? 0), 0);
  return {
    name,
    description,
    seconds: elapsed,
    serviceCores: cpu / elapsed,
    databaseCores: databaseCpu === null ? null : databaseCpu / elapsed,
    generatorCores: (generator.user + generator.system) / 1e6 / elapsed,
    completeRegistrationsPerSecond: accepted / elapsed,
    endpoints,
  };
}

async function startService(kind: 'sqlite' | 'postgres', dataDir: string, databaseUrl: string, first: boolean): Promise<{ child: ChildProcess; ready: ServiceReady }> {
  const child = fork(path.join(import.meta.dirname, 'service.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_PER_MINUTE: '100000',
      PUBLIC_URL: 'http://127.0.0.1',
      LOAD_MAKE_STAFF: first ? '1' : '0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ServiceReady>((resolve, reject) => {
    child.once('message', (m: ServiceReady) => resolve(m));
    child.once('exit', (code) => reject(new Error(`the ${kind} service stopped before it was ready (exit ${code})`)));
  });
  return { child, ready };
}

async function measure(kind: 'sqlite' | 'postgres'): Promise<PhaseFigures[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `guichet-load-${kind}-`));
  const pgName = `guichet_load_${runId}`;
  let databaseUrl = path.join(dataDir, 'guichet.sqlite');
  if (kind === 'postgres') {
    await createPostgresDatabase(pgName);
    databaseUrl = postgresUrl(pgName);
  }
  const count = instancesFor(kind);
  process.stderr.write(`\nService sur ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${count} instance(s) (création de la base et de l'annuaire)…\n`);
  // The first instance creates the schema, the directory and the staff; the others join the same database.
  const first = await startService(kind, dataDir, databaseUrl, true);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startService(kind, dataDir, databaseUrl, false)));
  const instances: Instances = {
    children: [first.child, ...others.map((o) => o.child)],
    ready: [first.ready, ...others.map((o) => o.ready)],
    database: kind === 'postgres' ? await PostgresBackendCpu.open(databaseUrl) : null,
  };
  const { ready } = first;
  try {
    const reasons = JSON.parse((await call(new Phase(), '', ready.url, 'GET', '/api/staff/rejection-reasons', undefined, ready.staff.approver[0]))!.body) as RejectionReason[];
    const reasonIds = reasons.map((r) => r.id);
    const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    const applicants = Math.round(USERS * 0.75);
    return [
      await runPhase(instances, 'référence', `route Fastify nue, ${USERS} connexions`, times(USERS, () => bare)),
      await runPhase(instances, 'recherche', `recherche dans l'annuaire, ${USERS} personnes`, times(USERS, () => searcher)),
      await runPhase(instances, 'inscription', `${USERS} demandeurs : recherche, captcha, envoi`, times(USERS, () => applicant(0))),
      await runPhase(instances, 'envoi', `${USERS} demandeurs : captcha et envoi seulement`, times(USERS, () => applicant(0, false))),
      await runPhase(instances, 'mixte', `${applicants} demandeurs (1 sur 4 hors domaine de confiance), ${ready.staff.agent.length} agents, ${ready.staff.approver.length} valideurs`, [
        ...times(applicants, () => applicant(4)),
        ...ready.staff.agent.map((token) => deskAgent(token)),
        ...ready.staff.approver.map((token) => approver(token, reasonIds)),
      ]),
    ];
  } finally {
    await instances.database?.close();
    await Promise.all(
      instances.children.map((child) => {
        child.send({ type: 'stop' });
        return new Promise((r) => child.once('exit', r));
      }),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await dropPostgresDatabase(pgName);
  }
}

// ----- report --------------------------------------------------------------

// Other work on the machine takes cores from both sides: its load average is printed with the figures.
const loadBefore = os.loadavg()[0]!;
// Drawn here, before any service starts: no other work of the run shares the process's CPU.
const captchaMs = captchaCpuMs(CAPTCHA_IMAGES);
const results: Record<string, PhaseFigures[]> = {};
for (const kind of KINDS) results[kind] = await measure(kind);
agent.destroy();

const n = (v: number, width: number, digits = 0) => v.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits }).padStart(width);
const lines: string[] = [
  '',
  `Charge sur la boucle locale — ${SECONDS} s mesurées par phase après ${WARMUP} s de chauffe, ${os.cpus().length} cœurs, Node ${process.version}, ` +
    `charge moyenne de la machine avant la mesure : ${n(loadBefore, 0, 1)}.`,
  `Le service tourne en ${KINDS.map((k) => `${instancesFor(k)} instance(s) sur ${k === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`).join(', ')}, chacune dans son processus (buildApp, journal au niveau « warn », RATE_LIMIT_PER_MINUTE=100000, e-mails déposés en .eml) ;`,
  `chaque personne simulée reste sur une instance, comme derrière un répartiteur de charge ;`,
  `son captcha dessine toujours « ${LOAD_CAPTCHA} » : un robot ne sait pas lire l'image, c'est le seul réglage de banc d'essai.`,
];
const verdicts: string[] = [];
for (const [kind, phases] of Object.entries(results)) {
  lines.push('', `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  lines.push(`  ${'phase'.padEnd(12)} ${'point d’accès'.padEnd(38)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  réponses`);
  for (const phase of phases) {
    let first = true;
    for (const [label, e] of Object.entries(phase.endpoints)) {
      const statuses = Object.entries(e.statuses).map(([s, c]) => `${s}×${c}`).join(' ') + (e.networkErrors ? ` réseau×${e.networkErrors}` : '');
      lines.push(`  ${(first ? phase.name : '').padEnd(12)} ${label.padEnd(38)} ${n(e.perSecond, 8)} ${n(e.p50, 8, 1)} ${n(e.p95, 8, 1)} ${n(e.p99, 8, 1)}  ${statuses}`);
      first = false;
    }
    lines.push(
      `  ${''.padEnd(12)} → ${n(phase.completeRegistrationsPerSecond, 0)} inscriptions complètes/s ; CPU : service ${n(phase.serviceCores, 0, 2)} cœur, ` +
        `${phase.databaseCores === null ? '' : `PostgreSQL ${n(phase.databaseCores, 0, 2)} cœur, `}générateur ${n(phase.generatorCores, 0, 2)} cœur`,
    );
  }
  const searchPhase = phases.find((p) => p.name === 'recherche')!;
  const search = searchPhase.endpoints['GET /api/directory/search']?.perSecond ?? 0;
  const registrations = phases.find((p) => p.name === 'inscription')!.completeRegistrationsPerSecond;
  const serverErrors = phases.flatMap((p) => Object.values(p.endpoints)).reduce((sum, e) => sum + e.serverErrors + e.networkErrors, 0);
  const bareRate = phases.find((p) => p.name === 'référence')!.endpoints['GET /bare (Fastify nu)']?.perSecond ?? 0;
  const bareCpuMs = (1000 * phases.find((p) => p.name === 'référence')!.serviceCores) / bareRate;
  verdicts.push(
    `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} : inscriptions ${n(registrations, 0)}/s (objectif ${TARGETS.registrationsPerSecond}) ${registrations >= TARGETS.registrationsPerSecond ? 'atteint' : 'MANQUÉ'} ; ` +
      `recherches ${n(search, 0)}/s (objectif ${TARGETS.searchesPerSecond}, ${n((100 * search) / bareRate, 0)} % de la route nue) ${search >= TARGETS.searchesPerSecond ? 'atteint' : 'MANQUÉ'} ; ` +
      `5xx et erreurs réseau : ${serverErrors}`,
  );
  verdicts.push(
    `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} : la route nue coûte ${n(bareCpuMs, 0, 3)} ms de CPU au service par requête : une image de captcha en coûte ${n(captchaMs / bareCpuMs, 0, 0)} fois plus`,
  );
  verdicts.push(
    `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} : une recherche coûte ${n((1000 * searchPhase.serviceCores) / search, 0, 3)} ms de CPU au service` +
      (searchPhase.databaseCores === null ? '' : ` et ${n((1000 * searchPhase.databaseCores) / search, 0, 3)} ms au serveur PostgreSQL`),
  );
}
verdicts.push(
  `Captcha : ${n(captchaMs, 0, 2)} ms de CPU par image (${CAPTCHA_IMAGES} images PNG dessinées dans le processus du banc avant la charge ; objectif ≤ ${TARGETS.captchaCpuMsPerImage}) ${captchaMs <= TARGETS.captchaCpuMsPerImage ? 'atteint' : 'MANQUÉ'}`,
);
lines.push('', 'Objectifs', ...verdicts.map((v) => `  ${v}`));
process.stdout.write(`${lines.join('\n')}\n`);

fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.writeFileSync(
  resultsFile,
  `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore }, settings: { seconds: SECONDS, warmup: WARMUP, users: USERS, instances: Object.fromEntries(KINDS.map((k) => [k, instancesFor(k)])), captcha: LOAD_CAPTCHA }, targets: TARGETS, captcha: { images: CAPTCHA_IMAGES, cpuMsPerImage: captchaMs }, results }, null, 2)}\n`,
);
process.stdout.write(`\nRésultats écrits dans bench/results/load.json\n`);
