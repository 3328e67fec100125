// One function per endpoint of the service's JSON API (see common/api/contracts.ts).
import type {
  AcceptedResponse,
  CaptchaChallenge,
  DirectorySearchResponse,
  HealthResponse,
  ProofOfWorkChallenge,
  RegistrationResponse,
  SessionResponse,
  TokenStatusResponse,
} from '../../common/api/contracts.js';
import type { SetPasswordRequest } from '../../common/accounts/schemas.js';
import { IDEMPOTENCY_HEADER } from '../../common/registration/offline.js';
import type { RegistrationRequest } from '../../common/registration/steps.js';
import { http } from './http.js';

/** Health checks are frequent and must not hang: an answer later than this counts as none. */
const HEALTH_TIMEOUT_MS = 5_000;

export async function getHealth(): Promise<HealthResponse> {
  const { data } = await http.get<HealthResponse>('health', { timeout: HEALTH_TIMEOUT_MS });
  return data;
}

/** What a directory search may be narrowed to: a département's code ('' for all), public bodies only. */
export interface DirectoryFilters {
  departement: string;
  publicOnly: boolean;
}

export async function searchDirectory(
  q: string,
  page: number,
  signal?: AbortSignal,
  filters: DirectoryFilters = { departement: '', publicOnly: false },
): Promise<DirectorySearchResponse> {
  const params = {
    q,
    page,
    ...(filters.departement ? { departement: filters.departement } : {}),
    ...(filters.publicOnly ? { publicOnly: true } : {}),
  };
  const { data } = await http.get<DirectorySearchResponse>('directory/search', { params, signal });
  return data;
}

export async function createCaptcha(): Promise<CaptchaChallenge> {
  const { data } = await http.post<CaptchaChallenge>('captcha');
  return data;
}

export async function createProofOfWork(): Promise<ProofOfWorkChallenge> {
  const { data } = await http.post<ProofOfWorkChallenge>('proof-of-work');
  return data;
}

export interface SubmitOptions {
  /** The same for every attempt of one request: a retry after a lost answer creates nothing. */
  idempotencyKey: string;
}

export async function submitRegistration(request: RegistrationRequest, options: SubmitOptions): Promise<RegistrationResponse> {
  const headers: Record<string, string> = { [IDEMPOTENCY_HEADER]: options.idempotencyKey };
  const { data } = await http.post<RegistrationResponse>('registrations', request, { headers });
  return data;
}

export async function getTokenStatus(token: string): Promise<TokenStatusResponse> {
  const { data } = await http.post<TokenStatusResponse>('password/token-status', { token });
  return data;
}

export async function requestNewLink(email: string): Promise<AcceptedResponse> {
  const { data } = await http.post<AcceptedResponse>('password/new-link', { email });
  return data;
}

export async function setPassword(request: SetPasswordRequest): Promise<AcceptedResponse> {
  const { data } = await http.post<AcceptedResponse>('password', request);
  return data;
}

/** `remember`: "rester connecté" in a browser; the session cookie then outlives the browser, until the session's end. */
export async function signIn(email: string, password: string, remember = false): Promise<SessionResponse> {
  const { data } = await http.post<SessionResponse>('session', { email, password, remember });
  return data;
}

export async function getSession(): Promise<SessionResponse> {
  const { data } = await http.get<SessionResponse>('session');
  return data;
}

export async function signOut(): Promise<void> {
  await http.delete('session');
}

/** Ends every session of the signed-in person, on every browser and desk. */
export async function signOutEverywhere(): Promise<void> {
  await http.post('session/revoke-all');
}
