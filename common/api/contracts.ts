// Shapes of the service's JSON API, shared by the renderer and the service.
import type { ChallengeParameters } from 'altcha-lib';
import type { Civility } from '../registration/steps.js';
import type { Role } from '../staff/roles.js';

export type { ApiError, ErrorCode } from './errors.js';

export interface HealthResponse {
  status: 'ok';
  version: string;
  database: 'sqlite' | 'postgres';
}

export interface Organisation {
  siren: string;
  name: string;
  kind: string;
  legalCategory: string;
  legalCategoryLabel: string;
  town: string | null;
  postcodes: string[];
  departement: string | null;
}

export interface DirectorySearchResponse {
  query: string;
  page: number;
  pageSize: number;
  total: number;
  /** True when more than `total` organisations match: counted two pages past this one, never past 1 000 (« Plus de 20 résultats »). */
  totalCapped: boolean;
  /** True when the query was a SIREN or SIRET and the result is that exact unit. */
  exact: boolean;
  results: Organisation[];
  /** When a word search found nothing: the same search with misspelled words corrected, which finds something. */
  suggestion?: string;
  /** The SIREN or SIRET has a valid key but the directory lacks its unit: the person may go on by naming it. */
  notInDirectory?: { siren: string };
  /** The unit of the SIREN or SIRET typed has closed (its name only if diffusible; the day, if Sirene gives it). */
  closed?: { siren: string; name: string | null; closedOn: string | null };
}

export interface CaptchaChallenge {
  id: string;
  /** The image, a PNG as a data: URL (data:image/png;base64,…), drawn at the size it is shown: 180×60 CSS pixels. */
  image: string;
  expiresAt: string;
}

/** The alternative to the image: an ALTCHA challenge signed by the service, solved by the page's worker. */
export interface ProofOfWorkChallenge {
  parameters: ChallengeParameters;
  signature: string;
}

export type RegistrationOutcome = 'invitation_sent' | 'pending_approval';

export interface RegistrationResponse {
  outcome: RegistrationOutcome;
  message: string;
}

export interface TokenStatusResponse {
  status: 'valid';
  email: string;
  firstName: string;
}

export interface SessionResponse {
  email: string;
  firstName: string;
  lastName: string;
  civility: Civility | '';
  role: Role;
}

export interface AcceptedResponse {
  message: string;
}
