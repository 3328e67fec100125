import * as yup from 'yup';
import { fromYup } from './validation.js';

// Small input and output shapes several route files share.
export const idParams = fromYup(
  yup.object({ id: yup.string().required().matches(/^[0-9a-f-]{36}$/i, "L'identifiant n'est pas valide.") }),
);

export const messageSchema = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;

/** Staff answers are documented in common/api/staff.ts; the OpenAPI document shows them as free-form objects. */
export const objectSchema = { type: 'object', additionalProperties: true } as const;
export const arraySchema = { type: 'array', items: objectSchema } as const;
