import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as yup from 'yup';
import '../../../common/validation/locale.js';
import { DEFAULT_MAX_LENGTH, fromYup, yupValidatorCompiler } from '../../../server/http/validation.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

function validator(schema: yup.AnyObjectSchema) {
  return yupValidatorCompiler({ schema: fromYup(schema), httpPart: 'body', method: 'POST', url: '/test' } as FastifyRouteSchemaDef<unknown>) as (
    data: unknown,
  ) => { value?: unknown; error?: { message: string; fields?: Record<string, string> } };
}

describe('the length rule comes first', () => {
  it('an over-long text is refused with its field\'s length message, and none of its patterns or tests reads it', () => {
    const read: number[] = [];
    const check = validator(
      yup.object({
        nested: yup.object({
          name: yup
            .string()
            .trim()
            .max(20, 'Le nom ne doit pas dépasser 20 caractères.')
            .test('spy', 'jamais', (v) => {
              read.push(v?.length ?? 0);
              return true;
            }),
        }),
      }),
    );
    expect(check({ nested: { name: 'x'.repeat(5000) } }).error).toMatchObject({ fields: { 'nested.name': 'Le nom ne doit pas dépasser 20 caractères.' } });
    expect(read).toEqual([]);
    // Spaces the field trims do not count, as yup counts.
    expect(check({ nested: { name: `  ${'x'.repeat(20)}  ` } }).value).toEqual({ nested: { name: 'x'.repeat(20) } });
    expect(read).toEqual([20]);
  });

  it('a text whose field states no maximum is held to one', () => {
    const check = validator(yup.object({ code: yup.string().matches(/^[a-z]*$/) }));
    expect(check({ code: 'a'.repeat(DEFAULT_MAX_LENGTH) }).value).toEqual({ code: 'a'.repeat(DEFAULT_MAX_LENGTH) });
    expect(check({ code: 'a'.repeat(DEFAULT_MAX_LENGTH + 1) }).error).toMatchObject({
      fields: { code: `Le champ « code » ne doit pas dépasser ${DEFAULT_MAX_LENGTH} caractères.` },
    });
  });

  it('the maximum of a conditional rule is the one that applies to the value sent', () => {
    const check = validator(
      yup.object({
        kind: yup.string().max(10),
        value: yup.string().when('kind', { is: 'short', then: (s) => s.max(4, 'Quatre caractères au plus.'), otherwise: (s) => s.max(40, 'Quarante au plus.') }),
      }),
    );
    expect(check({ kind: 'short', value: '12345' }).error).toMatchObject({ fields: { value: 'Quatre caractères au plus.' } });
    expect(check({ kind: 'long', value: '12345' }).value).toEqual({ kind: 'long', value: '12345' });
  });
});

/** JSON text nested this many levels deep: arrays, or objects. */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}

describe('deeply nested JSON', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: string) => t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

  // As deep as the body limit (64 KiB) lets each kind go.
  it.each([
    ['array', 30_000],
    ['object', 10_000],
  ] as const)('%s nested %i levels deep is refused with a French 400, not a 500', async (kind, depth) => {
    for (const url of ['/api/session', '/api/registrations', '/api/password/new-link']) {
      const res = await post(url, `{"email":${nested(depth, kind)}}`);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toEqual({ error: 'json_too_deep', message: 'Le corps de la requête est trop imbriqué : 32 niveaux au plus.' });
    }
  });

  it('32 levels are read as any JSON; 33 are refused', async () => {
    const within = await post('/api/session', `{"email":${nested(31, 'object')}}`);
    expect(within.statusCode).toBe(400);
    expect(within.json()).toMatchObject({ error: 'validation_failed' });
    const beyond = await post('/api/session', `{"email":${nested(32, 'object')}}`);
    expect(beyond.json()).toMatchObject({ error: 'json_too_deep' });
  });

  it('brackets inside strings do not count as nesting', async () => {
    const res = await post('/api/session', JSON.stringify({ email: `"\\${'['.repeat(200)}`, password: '{'.repeat(100) }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed' });
  });
});
