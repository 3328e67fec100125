// One function per endpoint of the service's JSON API (see common/api/contracts.ts).
import type {
  AcceptedResponse,
  CaptchaChallenge,
  DirectorySearchResponse,
  RegistrationResponse,
  SessionResponse,
  TokenStatusResponse,
} from '../../common/api/contracts.js';
import type { SetPasswordRequest } from '../../common/accounts/schemas.js';
import type { RegistrationRequest } from '../../common/registration/steps.js';
import { http } from './http.js';

export async function searchDirectory(q: string, page: number, signal?: AbortSignal): Promise<DirectorySearchResponse> {
  const { data } = await http.get<DirectorySearchResponse>('directory/search', { params: { q, page }, signal });
  return data;
}

export async function createCaptcha(): Promise<CaptchaChallenge> {
  const { data } = await http.post<CaptchaChallenge>('captcha');
  return data;
}

export async function submitRegistration(request: RegistrationRequest): Promise<RegistrationResponse> {
  const { data } = await http.post<RegistrationResponse>('registrations', request);
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

export async function signIn(email: string, password: string): Promise<SessionResponse> {
  const { data } = await http.post<SessionResponse>('session', { email, password });
  return data;
}

export async function getSession(): Promise<SessionResponse> {
  const { data } = await http.get<SessionResponse>('session');
  return data;
}

export async function signOut(): Promise<void> {
  await http.delete('session');
}
