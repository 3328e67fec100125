import axios, { isAxiosError, isCancel } from 'axios';
import type { ApiError, ErrorCode } from '../../common/api/errors.js';
import { notifyServiceUnreachable } from './reachability.js';

/** A failed API call: the HTTP status (0 when the service could not be reached) and the service's French answer. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
    this.name = 'ApiFailure';
  }

  /** Whether the answer carries one of these codes. */
  is(...codes: readonly ErrorCode[]): boolean {
    return codes.includes(this.body.error);
  }
}

const UNREACHABLE: ApiError = {
  error: 'service_unreachable',
  message: 'Le service est momentanément injoignable. Vérifiez votre connexion puis réessayez.',
};

const UNEXPECTED: ApiError = {
  error: 'unexpected_answer',
  message: 'Une erreur inattendue est survenue. Réessayez dans quelques instants.',
};

const TOO_MANY_REQUESTS: ApiError = {
  error: 'too_many_requests',
  message: 'Vous avez effectué trop de demandes. Patientez une minute avant de réessayer.',
};

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).error === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

function toFailure(error: unknown): unknown {
  // A request aborted on purpose (stale search) is not a failure to show.
  if (isCancel(error) || !isAxiosError(error)) return error;
  const status = error.response?.status ?? 0;
  const data: unknown = error.response?.data;
  if (isApiError(data)) return new ApiFailure(status, data);
  if (status === 429) return new ApiFailure(status, TOO_MANY_REQUESTS);
  if (status === 0 || status >= 500) return new ApiFailure(status, UNREACHABLE);
  return new ApiFailure(status, UNEXPECTED);
}

/**
 * The API is on the page's own origin everywhere: served by the service in a
 * browser, forwarded to the service by the main process in the desktop app.
 */
export const API_BASE = '/api';

export const http = axios.create({
  baseURL: API_BASE,
  headers: { Accept: 'application/json' },
  timeout: 20_000,
});

http.interceptors.response.use(undefined, (error: unknown) => {
  const failure = toFailure(error);
  if (failure instanceof ApiFailure && isUnreachable(failure)) notifyServiceUnreachable();
  return Promise.reject(failure);
});

/**
 * The service could not be reached or could not answer (no network, the
 * service down, the desktop app's forwarding timed out): the request may be
 * kept and sent again later.
 */
export function isUnreachable(failure: ApiFailure): boolean {
  return failure.status === 0 || failure.is(UNREACHABLE.error);
}

/** The service's answer when `error` is an API failure, otherwise undefined (e.g. an aborted request). */
export function apiFailure(error: unknown): ApiFailure | undefined {
  return error instanceof ApiFailure ? error : undefined;
}

/**
 * Awaits `call`; when the service refuses it or cannot be reached, resolves
 * instead with what `onFailure` makes of its answer. Anything else (a bug, an
 * aborted request) is thrown as it came.
 */
export async function catchApiFailure<T, F>(call: Promise<T>, onFailure: (failure: ApiFailure) => F | Promise<F>): Promise<T | F> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiFailure) return onFailure(error);
    throw error;
  }
}
