import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  format?: string;
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

// The one open map in the answers: an audit event's details, whose keys
// depend on its action (a reason, a before and after, a domain…), shown as
// they were recorded.
const OPEN_MAPS = ['.history[].details'];

/** Where a schema leaves its content unsaid: an object without properties, an array without items, a value without a type. */
function untyped(schema: Schema | undefined, at: string): string[] {
  if (!schema) return [at];
  if (OPEN_MAPS.some((path) => at.endsWith(path))) return [];
  const types = [schema.type ?? []].flat();
  if (types.length === 0 && !schema.enum) return [at];
  const found: string[] = [];
  if (types.includes('object')) {
    const properties = Object.entries(schema.properties ?? {});
    const maps = Object.values(schema.patternProperties ?? {});
    if (properties.length === 0 && maps.length === 0) found.push(at);
    for (const [name, property] of properties) found.push(...untyped(property, `${at}.${name}`));
  }
  if (types.includes('array')) found.push(...untyped(schema.items, `${at}[]`));
  return found;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('describes every successful answer of every route, field by field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = (res.json() as { paths: Record<string, Record<string, Operation>> }).paths;
    const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));
    expect(operations.length).toBeGreaterThan(40);

    const problems: string[] = [];
    for (const { route, operation } of operations) {
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) problems.push(`${route}: no successful answer declared`);
      for (const [status, response] of successes) {
        // An answer without a body (204) has no content to describe.
        if (!response.content) continue;
        for (const [mediaType, { schema }] of Object.entries(response.content)) {
          const binaryFile = mediaType !== 'application/json' && schema?.type === 'string' && schema.format === 'binary';
          if (!binaryFile) problems.push(...untyped(schema, `${route} ${status} ${mediaType}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
