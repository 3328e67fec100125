// One function per endpoint of the staff API (see common/api/staff.ts).
import type { AxiosRequestConfig } from 'axios';
import type { AcceptedResponse, RegistrationResponse } from '../../common/api/contracts.js';
import type {
  BulkApproveResponse,
  KioskEnrolled,
  KioskView,
  QueueResponse,
  RejectionReason,
  RequestDetail,
  SearchResult,
  StaffAccount,
  TrustRuleCreated,
  TrustRuleView,
  VerifiedDomainView,
} from '../../common/api/staff.js';
import type { AddOrganisationRequest } from '../../common/directory/add-organisation.js';
import type { StaffRole } from '../../common/staff/roles.js';
import { IDEMPOTENCY_HEADER } from '../../common/registration/offline.js';
import type { PhoneRegistrationRequest, QueueQuery } from '../../common/staff/schemas.js';
import { notifySessionExpired } from './session-expiry.js';
import { API_BASE, apiFailure, http } from './http.js';

async function request<T>(config: AxiosRequestConfig): Promise<T> {
  try {
    return (await http.request<T>(config)).data;
  } catch (error) {
    if (apiFailure(error)?.status === 401) notifySessionExpired();
    throw error;
  }
}

function requestPath(id: string, action = ''): string {
  return `staff/requests/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export function getQueue(query: QueueQuery): Promise<QueueResponse> {
  return request({ method: 'GET', url: 'staff/queue', params: query });
}

/** Opens a request for a decision: the signed-in approver holds it for a few minutes. */
export function claimRequest(id: string): Promise<RequestDetail> {
  return request({ method: 'POST', url: requestPath(id, 'claim') });
}

export function releaseClaim(id: string): Promise<void> {
  return request({ method: 'DELETE', url: requestPath(id, 'claim') });
}

/** Adds the organisation a request names outside the directory; the request stays to be decided. */
export function addOrganisationToDirectory(id: string, organisation: AddOrganisationRequest): Promise<RequestDetail> {
  return request({ method: 'POST', url: requestPath(id, 'organisation'), data: organisation });
}

export function getRequest(id: string): Promise<RequestDetail> {
  return request({ method: 'GET', url: requestPath(id) });
}

/** `verifyDomain`: the request's email domain becomes verified for its organisation in the same action. */
export function approveRequest(id: string, verifyDomain = false): Promise<RequestDetail> {
  return request({ method: 'POST', url: requestPath(id, 'approve'), data: { verifyDomain } });
}

export function rejectRequest(id: string, decision: { reasonId: string; comment: string }): Promise<RequestDetail> {
  return request({ method: 'POST', url: requestPath(id, 'reject'), data: decision });
}

export function cancelRequest(id: string): Promise<RequestDetail> {
  return request({ method: 'POST', url: requestPath(id, 'cancel') });
}

export function resendInvitation(id: string): Promise<AcceptedResponse> {
  return request({ method: 'POST', url: requestPath(id, 'resend-invitation') });
}

export function listRejectionReasons(): Promise<RejectionReason[]> {
  return request({ method: 'GET', url: 'staff/rejection-reasons' });
}

export function createRejectionReason(reason: { label: string; active: boolean }): Promise<RejectionReason> {
  return request({ method: 'POST', url: 'staff/rejection-reasons', data: reason });
}

export function updateRejectionReason(id: string, reason: { label: string; active: boolean }): Promise<RejectionReason> {
  return request({ method: 'PUT', url: `staff/rejection-reasons/${encodeURIComponent(id)}`, data: reason });
}

export function listTrustRules(): Promise<TrustRuleView[]> {
  return request({ method: 'GET', url: 'staff/trust-rules' });
}

export function createTrustRule(rule: { kind: 'siren' | 'legal_category'; value: string; reason: string }): Promise<TrustRuleCreated> {
  return request({ method: 'POST', url: 'staff/trust-rules', data: rule });
}

export function approveCoveredRequests(ruleId: string, ids: string[]): Promise<BulkApproveResponse> {
  return request({ method: 'POST', url: `staff/trust-rules/${encodeURIComponent(ruleId)}/approve-covered`, data: { ids } });
}

export function removeTrustRule(id: string, reason: string): Promise<void> {
  return request({ method: 'POST', url: `staff/trust-rules/${encodeURIComponent(id)}/remove`, data: { reason } });
}

/** `idempotencyKey`: the same for every attempt of one request, so that a retry after a lost answer creates nothing. */
export function submitPhoneRegistration(registration: PhoneRegistrationRequest, idempotencyKey: string): Promise<RegistrationResponse> {
  return request({ method: 'POST', url: 'staff/phone-registrations', data: registration, headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } });
}

export function searchStaff(q: string): Promise<SearchResult> {
  return request({ method: 'GET', url: 'staff/search', params: { q } });
}

export function listStaffAccounts(): Promise<StaffAccount[]> {
  return request({ method: 'GET', url: 'staff/accounts' });
}

export function createStaffAccount(account: { email: string; firstName: string; lastName: string; role: StaffRole }): Promise<StaffAccount> {
  return request({ method: 'POST', url: 'staff/accounts', data: account });
}

function staffAccountPath(id: string, action: string): string {
  return `staff/accounts/${encodeURIComponent(id)}/${action}`;
}

/** Withdraws a staff member's access at once: sign-in refused, sessions ended. */
export function disableStaffAccount(id: string, reason: string): Promise<StaffAccount> {
  return request({ method: 'POST', url: staffAccountPath(id, 'disable'), data: { reason } });
}

export function enableStaffAccount(id: string, reason: string): Promise<StaffAccount> {
  return request({ method: 'POST', url: staffAccountPath(id, 'enable'), data: { reason } });
}

export function changeStaffRole(id: string, role: StaffRole, reason: string): Promise<StaffAccount> {
  return request({ method: 'POST', url: staffAccountPath(id, 'role'), data: { role, reason } });
}

/** Signs the person out everywhere; the answer says how many sessions ended. */
export function endStaffSessions(id: string, reason: string): Promise<{ ended: number; message: string }> {
  return request({ method: 'POST', url: staffAccountPath(id, 'end-sessions'), data: { reason } });
}

export function listKiosks(): Promise<KioskView[]> {
  return request({ method: 'GET', url: 'staff/kiosks' });
}

/** The answer carries the kiosk's key: the only time anyone sees it. */
export function enrolKiosk(name: string): Promise<KioskEnrolled> {
  return request({ method: 'POST', url: 'staff/kiosks', data: { name } });
}

export function revokeKiosk(id: string): Promise<KioskView> {
  return request({ method: 'POST', url: `staff/kiosks/${encodeURIComponent(id)}/revoke` });
}

/** A plain link to the CSV: the browser downloads it with the session cookie, as for any page of the service. */
export function auditExportUrl(): string {
  return `${API_BASE}/staff/audit.csv`;
}

function domainsPath(siren: string, action = ''): string {
  return `staff/organisations/${encodeURIComponent(siren)}/domains${action ? `/${action}` : ''}`;
}

export function listVerifiedDomains(siren: string): Promise<VerifiedDomainView[]> {
  return request({ method: 'GET', url: domainsPath(siren) });
}

/** Answers with the organisation's verified domains, the new one included. */
export function addVerifiedDomain(siren: string, domain: string, reason: string): Promise<VerifiedDomainView[]> {
  return request({ method: 'POST', url: domainsPath(siren), data: { domain, reason } });
}

export function removeVerifiedDomain(siren: string, domain: string, reason: string): Promise<void> {
  return request({ method: 'POST', url: domainsPath(siren, 'remove'), data: { domain, reason } });
}
