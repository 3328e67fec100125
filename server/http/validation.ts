import { convertSchema } from '@sodaru/yup-to-json-schema';
import type { FastifySchemaCompiler } from 'fastify';
import { ValidationError, type AnyObjectSchema } from 'yup';
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

export const yupValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const yupSchema = yupByJsonSchema.get(schema as object);
  if (!yupSchema) {
    throw new Error(`Route input (${httpPart}) must be declared with fromYup(): no yup schema for it.`);
  }
  return (data: unknown) => {
    if (httpPart === 'body' && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      return { error: new DomainError(400, 'invalid_body', 'Le corps de la requête doit être un objet JSON.') };
    }
    try {
      return { value: yupSchema.validateSync(data ?? {}, { abortEarly: false, strict: false }) };
    } catch (error) {
      if (error instanceof ValidationError) return { error: toDomainError(error) };
      throw error;
    }
  };
};
