import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

// How the API's answers are declared: each one a TypeBox schema, from which
// the route's response schema (what leaves the service, and what the OpenAPI
// document says) and the TypeScript type the renderer reads are both derived.
// These two helpers keep the schemas in the plain forms fast-json-stringify
// writes fastest: a type list rather than an anyOf it would have to test.

/** `T`, or null. */
export function Nullable<T extends TSchema & { type: string }>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

/** One of these strings. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> & { type: 'string' } {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options }) as TUnsafe<T[number]> & { type: 'string' };
}
