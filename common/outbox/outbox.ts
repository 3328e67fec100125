import type { ApiError } from '../api/contracts.js';
import { CAPTURED_OFFLINE_HEADER, IDEMPOTENCY_HEADER, type OfflineRegistration } from '../registration/offline.js';
import type { PhoneRegistrationRequest } from '../staff/schemas.js';

// What the desktop shell (files, src-main/outbox) and a kiosk browser
// (localStorage) share about requests kept while the service is unreachable:
// the entry, the request that replays it, and what an answer means for it
// (the replay loop itself: replay.ts).

interface EntryBase {
  /** Also the Idempotency-Key of every attempt, the first online one included. */
  id: string;
  /** When the device kept it (ISO): the service records that the request was captured offline then. */
  capturedAt: string;
}

export type OutboxEntry =
  | (EntryBase & { kind: 'phone-registration'; registration: PhoneRegistrationRequest })
  | (EntryBase & { kind: 'kiosk-registration'; registration: OfflineRegistration });

export type OutboxKind = OutboxEntry['kind'];

/** A kept request the service refused for good (a field it rejects): someone has to type it again. */
export interface RefusedRequest {
  id: string;
  kind: OutboxKind;
  /** Who the request is for, e.g. "Marc Appelant (marc.appelant@saint-etienne.fr)". */
  summary: string;
  /** The service's French reason. */
  message: string;
  capturedAt: string;
}

export interface OutboxStatus {
  /** Requests kept on this device, not yet accepted by the service. */
  pending: number;
  /** Never filled on a kiosk: the applicants' data is not shown there. */
  refused: RefusedRequest[];
  /** A desk's requests need a signed-in agent to be sent. */
  waitingForSignIn: boolean;
  /** A kiosk's requests need the key of an enrolled kiosk: it is missing, or the service no longer takes it. */
  waitingForKioskKey: boolean;
}

export const EMPTY_OUTBOX_STATUS: OutboxStatus = { pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false };

export interface ReplayRequest {
  /** Under the API root, e.g. "staff/phone-registrations". */
  path: string;
  headers: Record<string, string>;
  body: PhoneRegistrationRequest | OfflineRegistration;
  /** What vouches for it: the agent's session, or the kiosk's key (an applicant has no session, and no captcha was solved). */
  credential: 'session' | 'kiosk-key';
}

export function replayRequest(entry: OutboxEntry): ReplayRequest {
  const headers: Record<string, string> = {
    [IDEMPOTENCY_HEADER]: entry.id,
    [CAPTURED_OFFLINE_HEADER]: entry.capturedAt,
  };
  if (entry.kind === 'phone-registration') return { path: 'staff/phone-registrations', headers, body: entry.registration, credential: 'session' };
  return { path: 'kiosk/registrations', headers, body: entry.registration, credential: 'kiosk-key' };
}

export type ReplayVerdict = 'sent' | 'retry-later' | 'needs-sign-in' | 'refused';

/** What an answer to a replay means; null is no answer at all (the service is unreachable). A 401 or 403 wants the request's credential. */
export function verdictOf(status: number | null): ReplayVerdict {
  if (status === null) return 'retry-later';
  if (status >= 200 && status < 300) return 'sent';
  if (status === 401 || status === 403) return 'needs-sign-in';
  if (status === 408 || status === 429 || status >= 500) return 'retry-later';
  return 'refused';
}

function summaryOf(entry: OutboxEntry): string {
  const { identity, contact } = entry.registration;
  return `${identity.firstName} ${identity.lastName} (${contact.email})`;
}

/** A refused entry as the desk's screen lists it. */
export function refusedRequest(entry: OutboxEntry, message: string): RefusedRequest {
  return { id: entry.id, kind: entry.kind, summary: summaryOf(entry), message, capturedAt: entry.capturedAt };
}

/** The service's reason for a refusal, with its field messages, for the agent who retypes the request. */
export function refusalMessage(status: number, body: unknown): string {
  const error = body as Partial<ApiError> | null;
  if (error && typeof error.message === 'string') {
    const fields = error.fields && typeof error.fields === 'object' ? Object.values(error.fields).filter((m) => typeof m === 'string') : [];
    return [...new Set([error.message, ...fields])].join(' ');
  }
  return `Le service a refusé la demande (HTTP ${status}).`;
}
