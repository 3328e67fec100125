import { convertSchema } from '@sodaru/yup-to-json-schema';
import type { FastifySchemaCompiler } from 'fastify';
import { ObjectSchema, Schema, ValidationError, type AnyObjectSchema } from 'yup';
import { DomainError } from './errors.js';

// Routes declare their inputs with the yup schemas of common/: the JSON
// Schema derived from each one documents the route in OpenAPI, and the yup
// schema itself validates the request, so client and service share one rule
// and every message is the French one written beside the rule.
const yupByJsonSchema = new WeakMap<object, AnyObjectSchema>();

export function fromYup(schema: AnyObjectSchema): Record<string, unknown> {
  const json = convertSchema(schema) as Record<string, unknown>;
  yupByJsonSchema.set(json, schema);
  return json;
}

export function toDomainError(error: ValidationError): DomainError {
  const fields: Record<string, string> = {};
  for (const inner of error.inner.length > 0 ? error.inner : [error]) {
    const field = inner.path || 'body';
    fields[field] ??= inner.message;
  }
  const first = Object.values(fields)[0] ?? error.message;
  return new DomainError(400, 'validation_failed', first, fields);
}

const SCALARS = new Set(['string', 'number', 'boolean']);

/**
 * yup's transforms (trim, lowercase) assume a scalar and throw on an object or
 * array sent in its place; such values are refused here first, with the field
 * they were sent for.
 */
function misplacedValues(schema: Schema, value: unknown, path: string, found: Record<string, string>): void {
  if (schema instanceof ObjectSchema) {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(schema.fields)) {
      if (field instanceof Schema) misplacedValues(field, (value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, found);
    }
    return;
  }
  if (SCALARS.has(schema.type) && value !== null && typeof value === 'object') {
    found[path] = `Le champ « ${path} » n'a pas le bon type de valeur.`;
  }
}

export const yupValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const yupSchema = yupByJsonSchema.get(schema as object);
  if (!yupSchema) {
    throw new Error(`Route input (${httpPart}) must be declared with fromYup(): no yup schema for it.`);
  }
  return (data: unknown) => {
    if (httpPart === 'body' && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      return { error: new DomainError(400, 'invalid_body', 'Le corps de la requête doit être un objet JSON.') };
    }
    const misplaced: Record<string, string> = {};
    misplacedValues(yupSchema, data, '', misplaced);
    const first = Object.values(misplaced)[0];
    if (first) return { error: new DomainError(400, 'validation_failed', first, misplaced) };
    try {
      return { value: yupSchema.validateSync(data ?? {}, { abortEarly: false, strict: false }) };
    } catch (error) {
      if (error instanceof ValidationError) return { error: toDomainError(error) };
      throw error;
    }
  };
};
