import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { check } from 'recheck';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectSchema, Schema, type AnyObjectSchema } from 'yup';
import { declaredInputSchemas } from '../../../server/http/validation.js';
import { startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

// Catastrophic backtracking: one request whose text a pattern tries in
// quadratic (or worse) time holds the event loop, and every other desk waits.
// Every pattern the service can apply to what a client sends is checked by
// recheck, a ReDoS checker proving linearity where it can and fuzzing where
// it cannot; and an over-long text is refused before any pattern sees it.

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(file);
    else if (entry.name.endsWith('.ts')) yield file;
  }
}

// Patterns built at run time, which the source scan cannot read: each with
// what it builds today. A new one fails the scan until it is listed here.
const BUILT_AT_RUN_TIME: Record<string, Pattern[]> = {
  // An alternation of a few fixed words between spaces.
  'server/shared/text.ts': [{ where: 'server/shared/text.ts', source: '(?:^| )(?:saint|sainte|saints|saintes)(?: |$)', flags: '' }],
};

/** Every regular expression written in common/ and server/, and the RegExp constructions that are not literals. */
function sourcePatterns(): { literals: Pattern[]; built: string[] } {
  const literals: Pattern[] = [];
  const built: string[] = [];
  for (const folder of ['common', 'server']) {
    for (const file of typeScriptFiles(path.join(ROOT, folder))) {
      const relative = path.relative(ROOT, file).split(path.sep).join('/');
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const where = (node: ts.Node) => `${relative}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node): void => {
        if (ts.isRegularExpressionLiteral(node)) {
          const end = node.text.lastIndexOf('/');
          literals.push({ where: where(node), source: node.text.slice(1, end), flags: node.text.slice(end + 1) });
        } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
          const [first] = node.arguments ?? [];
          if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) literals.push({ where: where(node), source: first.text, flags: '' });
          else built.push(relative);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { literals, built };
}

/** The patterns a yup schema's tests carry (matches, email…), at any depth. */
function schemaPatterns(schema: Schema, where: string, found: Pattern[]): void {
  for (const test of schema.tests) {
    for (const param of Object.values(test.OPTIONS?.params ?? {})) {
      if (param instanceof RegExp) found.push({ where: `${where} (${test.OPTIONS?.name ?? 'test'})`, source: param.source, flags: param.flags });
    }
  }
  if (schema instanceof ObjectSchema) {
    for (const [key, field] of Object.entries(schema.fields)) if (field instanceof Schema) schemaPatterns(field, `${where}.${key}`, found);
  }
  const inner = (schema as { innerType?: unknown }).innerType;
  if (inner instanceof Schema) schemaPatterns(inner, `${where}[]`, found);
}

async function unsafe(patterns: Pattern[]): Promise<string[]> {
  const verdicts = await Promise.all(
    patterns.map(async (p) => {
      const result = await check(p.source, p.flags, { timeout: 10_000 });
      if (result.status === 'safe') return null;
      const why = result.status === 'vulnerable' ? result.complexity.summary : `not decided (${result.error.kind})`;
      return `${p.where}: /${p.source}/${p.flags} is ${result.status}: ${why}`;
    }),
  );
  return verdicts.filter((v): v is string => v !== null);
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => {
  await t.close();
});

describe('regular expressions applied to input', () => {
  it('every pattern written in common/ and server/ runs in linear time (recheck)', async () => {
    const { literals, built } = sourcePatterns();
    expect(literals.length).toBeGreaterThan(40);
    expect([...new Set(built)].sort()).toEqual(Object.keys(BUILT_AT_RUN_TIME).sort());
    expect(await unsafe([...literals, ...Object.values(BUILT_AT_RUN_TIME).flat()])).toEqual([]);
  }, 120_000);

  it('every pattern of every route input schema, yup\'s own (email) included, runs in linear time (recheck)', async () => {
    const schemas: AnyObjectSchema[] = [...declaredInputSchemas()];
    expect(schemas.length).toBeGreaterThan(20);
    const found: Pattern[] = [];
    schemas.forEach((schema, i) => schemaPatterns(schema, `input schema #${i}`, found));
    expect(found.some((p) => p.where.includes('(email)'))).toBe(true);
    expect(await unsafe(found)).toEqual([]);
  }, 120_000);
});

/** A text that the old email pattern took quadratic time to refuse: 63 000 dots, as many as the body limit lets through. */
const ATTACK_EMAIL = `a@${'.'.repeat(63_000)}@`;

/** Generous for a machine six times slower than the CI's; the old pattern held the loop for seconds. */
const MAX_BLOCKING_MS = 250;

describe('an over-long text sent where a pattern applies', () => {
  let base: string;
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  async function underAttack(url: string, body: unknown) {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    const attack = fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://guichet.test' }, body: JSON.stringify(body) });
    // Sent while the attack is being read and checked: it must not wait behind it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const healthStarted = performance.now();
    const health = await fetch(`${base}/api/health`);
    const healthMs = performance.now() - healthStarted;
    const answer = await attack;
    const attackMs = performance.now() - started;
    loop.disable();
    return { answer, attackMs, healthMs, health, blockedMs: loop.max / 1e6 };
  }

  it.each([
    ['POST /api/session', '/api/session', { email: ATTACK_EMAIL, password: 'Quartier-Neuf-2026' }, 'email'],
    ['POST /api/registrations', '/api/registrations', validRegistration({ email: ATTACK_EMAIL, captchaId: '00000000-0000-4000-8000-000000000000' }), 'contact.email'],
  ])('%s is refused in milliseconds with the length rule, and the event loop stays free for others', async (_label, url, body, field) => {
    expect(JSON.stringify(body).length).toBeLessThan(64 * 1024);
    const { answer, attackMs, healthMs, health, blockedMs } = await underAttack(url, body);
    expect(answer.status).toBe(400);
    const error = (await answer.json()) as { message: string; fields: Record<string, string> };
    expect(error.fields[field]).toBe("L'adresse e-mail ne doit pas dépasser 254 caractères.");
    expect(health.status).toBe(200);
    expect(attackMs, 'time to refuse the attack').toBeLessThan(MAX_BLOCKING_MS * 2);
    expect(healthMs, '/api/health sent meanwhile').toBeLessThan(MAX_BLOCKING_MS);
    expect(blockedMs, 'longest event-loop block').toBeLessThan(MAX_BLOCKING_MS);
  }, 60_000);
});
