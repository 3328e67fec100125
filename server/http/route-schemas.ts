import * as yup from 'yup';
import { errorResponseSchema } from './errors.js';
import { fromYup } from './validation.js';

// Small input shapes several route files share.
export const idParams = fromYup(
  yup.object({ id: yup.string().required().matches(/^[0-9a-f-]{36}$/i, "L'identifiant n'est pas valide.") }),
);

/** An answer with no body. */
export const noContent = { type: 'null' } as const;

/** A file sent as it is written (a stream): its route states its media type in `produces`. */
export const fileContent = { type: 'string', format: 'binary' } as const;

/** The refusals any staff route may answer. */
export const staffErrors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};
