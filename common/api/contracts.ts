// Shapes of the service's JSON API, shared by the renderer and the service:
// each answer declared once, as a schema the route sends with and a type.
import { Type, type Static } from '@sinclair/typebox';
import type { ChallengeParameters } from 'altcha-lib';
import { CIVILITIES } from '../registration/steps.js';
import { ROLES } from '../staff/roles.js';
import { SESSION_TRANSPORT_HEADER } from './desktop-session.js';
import { Nullable, StringEnum } from './schema.js';

export type { ApiError, ErrorCode } from './errors.js';

export const HealthResponse = Type.Object({
  status: StringEnum(['ok']),
  version: Type.String(),
  database: StringEnum(['sqlite', 'postgres']),
});
export type HealthResponse = Static<typeof HealthResponse>;

export const Organisation = Type.Object({
  siren: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  legalCategory: Type.String(),
  legalCategoryLabel: Type.String(),
  town: Nullable(Type.String()),
  postcodes: Type.Array(Type.String()),
  departement: Nullable(Type.String()),
});
export type Organisation = Static<typeof Organisation>;

export const DirectorySearchResponse = Type.Object({
  query: Type.String(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  totalCapped: Type.Boolean({
    description: 'True when more than `total` organisations match: counted two pages past this one, never past 1 000 (« Plus de 20 résultats »).',
  }),
  exact: Type.Boolean({ description: 'True when the query was a SIREN or SIRET and the result is that exact unit.' }),
  results: Type.Array(Organisation),
  suggestion: Type.Optional(
    Type.String({ description: 'When a word search found nothing: the same search with misspelled words corrected, which finds something.' }),
  ),
  notInDirectory: Type.Optional(
    Type.Object(
      { siren: Type.String() },
      { description: 'The SIREN or SIRET has a valid key but the directory lacks its unit: the person may go on by naming it.' },
    ),
  ),
  closed: Type.Optional(
    Type.Object(
      { siren: Type.String(), name: Nullable(Type.String()), closedOn: Nullable(Type.String()) },
      { description: 'The unit of the SIREN or SIRET typed has closed (its name only if diffusible; the day, if Sirene gives it).' },
    ),
  ),
});
export type DirectorySearchResponse = Static<typeof DirectorySearchResponse>;

export const CaptchaChallenge = Type.Object({
  id: Type.String(),
  image: Type.String({
    pattern: '^data:image/png;base64,',
    description: 'The image, a PNG as a data: URL (data:image/png;base64,…), drawn at the size it is shown: 180×60 CSS pixels.',
  }),
  expiresAt: Type.String(),
});
export type CaptchaChallenge = Static<typeof CaptchaChallenge>;

/** The alternative to the image: an ALTCHA challenge signed by the service, solved by the page's worker. */
export const ProofOfWorkChallenge = Type.Object({
  // Its type is altcha-lib's, which the page's solver takes; every parameter is signed: none may be dropped on the way out.
  parameters: Type.Unsafe<ChallengeParameters>(
    Type.Object(
      {
        algorithm: Type.String(),
        nonce: Type.String(),
        salt: Type.String(),
        cost: Type.Integer(),
        keyLength: Type.Integer(),
        keyPrefix: Type.String(),
        keySignature: Type.Optional(Type.String()),
        expiresAt: Type.Integer({ description: 'Unix time, in seconds' }),
      },
      { additionalProperties: true },
    ),
  ),
  signature: Type.String(),
});
export type ProofOfWorkChallenge = Static<typeof ProofOfWorkChallenge>;

export const REGISTRATION_OUTCOMES = ['invitation_sent', 'pending_approval'] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];

export const RegistrationResponse = Type.Object({
  outcome: StringEnum(REGISTRATION_OUTCOMES),
  message: Type.String(),
});
export type RegistrationResponse = Static<typeof RegistrationResponse>;

export const TokenStatusResponse = Type.Object({
  status: StringEnum(['valid']),
  email: Type.String(),
  firstName: Type.String(),
});
export type TokenStatusResponse = Static<typeof TokenStatusResponse>;

export const SessionResponse = Type.Object({
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  civility: StringEnum([...CIVILITIES, '']),
  role: StringEnum(ROLES),
});
export type SessionResponse = Static<typeof SessionResponse>;

/** The answer to a sign-in that asked for its token (the desktop app: see desktop-session.ts). */
export const BearerSignInResponse = Type.Composite([
  SessionResponse,
  Type.Object({
    token: Type.String(),
    /** ISO date. */
    expiresAt: Type.String(),
  }),
]);
export type BearerSignInResponse = Static<typeof BearerSignInResponse>;

/** The answer to a sign-in: the token only when asked for (the desktop app). */
export const SignInResponse = Type.Composite([
  SessionResponse,
  Type.Object({
    token: Type.Optional(Type.String({ description: `Only when the request says ${SESSION_TRANSPORT_HEADER}: bearer (desktop app)` })),
    expiresAt: Type.Optional(Type.String()),
  }),
]);
export type SignInResponse = Static<typeof SignInResponse>;

/** A request taken in, or a change made, told in French. */
export const AcceptedResponse = Type.Object({ message: Type.String() });
export type AcceptedResponse = Static<typeof AcceptedResponse>;
