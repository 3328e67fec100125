// Shapes of the staff API (agents, approvers, admins).
import type { Organisation } from './contracts.js';
import type { QueueStatus } from '../staff/schemas.js';
import type { Role } from '../staff/roles.js';
import type { Civility } from '../registration/steps.js';

export type Channel = 'web' | 'kiosk' | 'phone';

export interface QueueItem {
  id: string;
  createdAt: string;
  /** Seconds since the request was submitted. */
  ageSeconds: number;
  status: QueueStatus;
  channel: Channel;
  firstName: string;
  lastName: string;
  email: string;
  organisation: { siren: string; name: string; legalCategory: string; legalCategoryLabel: string; departement: string | null };
  /** « Organisme hors annuaire »: a valid SIREN the directory lacks, named by the applicant (never trusted automatically). */
  offDirectory: boolean;
  /** Who holds the request now, if anyone (claims last a few minutes). */
  claimedBy: string | null;
  claimedUntil: string | null;
}

export interface QueueResponse {
  page: number;
  pageSize: number;
  total: number;
  /** How many requests wait for a decision, and how old the oldest is (whatever the filters). */
  waiting: number;
  oldestWaitingSeconds: number | null;
  items: QueueItem[];
}

export interface HistoryEntry {
  at: string;
  actor: string;
  /** Display name of the actor: a staff member's name, "Demandeur" or "Système". */
  actorName: string;
  action: string;
  /** French wording of the action. */
  label: string;
  details: Record<string, unknown>;
}

export interface RelatedRecord {
  kind: 'registration' | 'account';
  id: string;
  email: string;
  name: string;
  siren: string | null;
  status: string;
  createdAt: string;
  /** Same email, or same organisation. */
  sameEmail: boolean;
}

export interface RequestDetail extends QueueItem {
  civility: Civility | '';
  jobTitle: string;
  phone: string;
  quartiersFertiles: boolean;
  trusted: boolean;
  trustReason: string;
  enteredBy: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  rejection: { reason: string; comment: string } | null;
  /** The organisation's record in the directory (null if it has left it, or was never in it). */
  directoryRecord: Organisation | null;
  /** The commune the applicant gave for an organisation outside the directory. */
  declaredCommune: string | null;
  related: RelatedRecord[];
  /** True when another request or account shares the email. */
  duplicateFlag: boolean;
  history: HistoryEntry[];
  /** True when the signed-in approver holds the claim. */
  claimedByMe: boolean;
  /** True when the signed-in staff member typed the request: someone else must decide it. */
  enteredByMe: boolean;
  /** The account created for the request, if any: "invited" until its password is set, then "active". */
  accountStatus: 'invited' | 'active' | 'disabled' | null;
  /** What the email's domain proves, as evidence for the approver. */
  domainCheck: DomainCheck;
}

export interface DomainCheck {
  domain: string;
  /** gmail.com, orange.fr…: it proves nothing and can never be verified. */
  freeMail: boolean;
  verifiedForOrganisation: boolean;
  /** Other organisations this domain is verified for. */
  verifiedForOthers: { siren: string; name: string | null }[];
}

export interface VerifiedDomainView {
  domain: string;
  reason: string;
  verifiedAt: string;
  /** A staff member's name, or « Import » for a CSV import. */
  verifiedBy: string;
}

export interface RejectionReason {
  id: string;
  label: string;
  active: boolean;
}

export interface TrustRuleView {
  id: string;
  kind: 'siren' | 'legal_category';
  value: string;
  /** Organisation name for a SIREN rule, category label for a legal-category rule. */
  label: string;
  reason: string;
  createdAt: string;
  createdBy: string | null;
}

export interface TrustRuleCreated {
  rule: TrustRuleView;
  /** Pending requests the new rule covers: the approver may approve them at once. */
  coveredPending: QueueItem[];
}

export interface BulkApproveResponse {
  approved: string[];
  /** Requests left alone (claimed by someone else, or decided meanwhile), with why. */
  skipped: { id: string; message: string }[];
}

export interface StaffAccount {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  status: string;
  createdAt: string;
}

export interface SearchResult {
  registrations: (QueueItem & { accountId: string | null; accountStatus: string | null })[];
  accounts: StaffAccount[];
}

export interface KioskView {
  id: string;
  name: string;
  createdAt: string;
  /** Display name of the admin who enrolled it. */
  createdBy: string | null;
  /** The last time the kiosk sent a request with its key. */
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface KioskEnrolled {
  kiosk: KioskView;
  /** The kiosk's key: shown this once, never stored by the service. */
  key: string;
  /** French: where to paste the key. */
  message: string;
}
