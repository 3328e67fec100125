import { convertSchema } from '@sodaru/yup-to-json-schema';
import type { FastifySchemaCompiler } from 'fastify';
import { ArraySchema, ObjectSchema, Schema, StringSchema, ValidationError, type AnyObjectSchema } from 'yup';
import { DomainError } from '../shared/domain-error.js';

// Routes declare their inputs with the yup schemas of common/: the JSON
// Schema derived from each one documents the route in OpenAPI, and the yup
// schema itself validates the request, so client and service share one rule
// and every message is the French one written beside the rule.
const yupByJsonSchema = new WeakMap<object, AnyObjectSchema>();
const declared = new Set<AnyObjectSchema>();

export function fromYup(schema: AnyObjectSchema): Record<string, unknown> {
  const json = convertSchema(schema) as Record<string, unknown>;
  yupByJsonSchema.set(json, schema);
  declared.add(schema);
  return json;
}

/** Every schema a route has declared its input with: the ReDoS test checks their patterns. */
export function declaredInputSchemas(): Iterable<AnyObjectSchema> {
  return declared;
}

export function toDomainError(error: ValidationError): DomainError {
  const fields: Record<string, string> = {};
  for (const inner of error.inner.length > 0 ? error.inner : [error]) {
    const field = inner.path || 'body';
    fields[field] ??= inner.message;
  }
  const first = Object.values(fields)[0] ?? error.message;
  return new DomainError('validation_failed', first, fields);
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

/** The longest text a field accepts when its schema states no maximum. */
export const DEFAULT_MAX_LENGTH = 1000;

/** A field's maximum length and the French message that goes with it. */
function lengthRule(schema: StringSchema, path: string): { max: number; message: string } {
  const rule = schema.tests.map((t) => t.OPTIONS).find((o) => o?.name === 'max' && typeof o.params?.max === 'number');
  if (!rule) return { max: DEFAULT_MAX_LENGTH, message: `Le champ « ${path} » ne doit pas dépasser ${DEFAULT_MAX_LENGTH} caractères.` };
  const max = rule.params!.max as number;
  return { max, message: String(ValidationError.formatError(rule.message, { ...rule.params, path, label: schema.spec.label })) };
}

/**
 * Refuses a text longer than its field allows before any of the field's
 * patterns or tests sees it: yup runs them all even once the length rule has
 * failed, and a pattern's time grows with the text it reads.
 */
function overLongTexts(schema: Schema, value: unknown, parent: unknown, path: string, found: Record<string, string>): void {
  const resolved = schema.resolve({ value, parent });
  if (resolved instanceof ObjectSchema) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(resolved.fields)) {
      if (field instanceof Schema) overLongTexts(field, (value as Record<string, unknown>)[key], value, path ? `${path}.${key}` : key, found);
    }
    return;
  }
  if (resolved instanceof ArraySchema) {
    const inner = resolved.innerType;
    if (!Array.isArray(value) || !(inner instanceof Schema)) return;
    value.forEach((item, i) => overLongTexts(inner, item, value, `${path}[${i}]`, found));
    return;
  }
  if (resolved instanceof StringSchema && typeof value === 'string') {
    const { max, message } = lengthRule(resolved, path);
    // The length yup would check: after its trim, if the field trims.
    if (String(resolved.cast(value, { assert: false })).length > max) found[path] ??= message;
  }
}

// C0 and C1 control characters but tab and line breaks: no one types them,
// and NUL is refused by PostgreSQL in text columns. A lone surrogate (a JSON
// "\ud800" escape) is half a character that no database can store as sent.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refuses control characters and broken characters in any string of the input, whatever each field's own rules. */
function controlCharacters(value: unknown, path: string, found: Record<string, string>): void {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value) || LONE_SURROGATE.test(value)) {
      found[path || 'body'] = `Le champ « ${path} » contient des caractères de contrôle ou invalides, qui ne sont pas autorisés.`;
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) controlCharacters(inner, path ? `${path}.${key}` : key, found);
}

export const yupValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const yupSchema = yupByJsonSchema.get(schema as object);
  if (!yupSchema) {
    throw new Error(`Route input (${httpPart}) must be declared with fromYup(): no yup schema for it.`);
  }
  return (data: unknown) => {
    if (httpPart === 'body' && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      return { error: new DomainError('invalid_body', 'Le corps de la requête doit être un objet JSON.') };
    }
    const misplaced: Record<string, string> = {};
    misplacedValues(yupSchema, data, '', misplaced);
    controlCharacters(data, '', misplaced);
    overLongTexts(yupSchema, data, undefined, '', misplaced);
    const first = Object.values(misplaced)[0];
    if (first) return { error: new DomainError('validation_failed', first, misplaced) };
    try {
      return { value: yupSchema.validateSync(data ?? {}, { abortEarly: false, strict: false }) };
    } catch (error) {
      if (error instanceof ValidationError) return { error: toDomainError(error) };
      throw error;
    }
  };
};
