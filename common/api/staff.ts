// Shapes of the staff API (agents, approvers, admins): each answer declared
// once, as a schema the route sends with and a type.
import { Type, type Static } from '@sinclair/typebox';
import { CIVILITIES } from '../registration/steps.js';
import { ROLES } from '../staff/roles.js';
import { QUEUE_STATUSES } from '../staff/schemas.js';
import { Organisation } from './contracts.js';
import { Nullable, StringEnum } from './schema.js';

export const CHANNELS = ['web', 'kiosk', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const QueueItem = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  ageSeconds: Type.Integer({ description: 'Seconds since the request was submitted.' }),
  status: StringEnum(QUEUE_STATUSES),
  channel: StringEnum(CHANNELS),
  firstName: Type.String(),
  lastName: Type.String(),
  email: Type.String(),
  organisation: Type.Object({
    siren: Type.String(),
    name: Type.String(),
    legalCategory: Type.String(),
    legalCategoryLabel: Type.String(),
    departement: Nullable(Type.String()),
  }),
  offDirectory: Type.Boolean({
    description: '« Organisme hors annuaire »: a valid SIREN the directory lacks, named by the applicant (never trusted automatically).',
  }),
  claimedBy: Nullable(Type.String({ description: 'Who holds the request now, if anyone (claims last a few minutes).' })),
  claimedUntil: Nullable(Type.String()),
});
export type QueueItem = Static<typeof QueueItem>;

export const QueueResponse = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  waiting: Type.Integer({ description: 'How many requests wait for a decision (whatever the filters).' }),
  oldestWaitingSeconds: Nullable(Type.Integer({ description: 'How old the oldest waiting request is (whatever the filters).' })),
  items: Type.Array(QueueItem),
});
export type QueueResponse = Static<typeof QueueResponse>;

export const HistoryEntry = Type.Object({
  at: Type.String(),
  actor: Type.String(),
  actorName: Type.String({ description: 'Display name of the actor: a staff member\'s name, "Demandeur" or "Système".' }),
  action: Type.String(),
  label: Type.String({ description: 'French wording of the action.' }),
  details: Type.Record(Type.String(), Type.Unknown(), {
    description: 'What the action changed, as the audit log recorded it: its keys depend on the action (a reason, a before and an after…).',
  }),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const RelatedRecord = Type.Object({
  kind: StringEnum(['registration', 'account']),
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  siren: Nullable(Type.String()),
  status: Type.String(),
  createdAt: Type.String(),
  sameEmail: Type.Boolean({ description: 'Same email, or same organisation.' }),
});
export type RelatedRecord = Static<typeof RelatedRecord>;

/** What the email's domain proves, as evidence for the approver. */
export const DomainCheck = Type.Object({
  domain: Type.String(),
  freeMail: Type.Boolean({ description: 'gmail.com, orange.fr…: it proves nothing and can never be verified.' }),
  verifiedForOrganisation: Type.Boolean(),
  verifiedForOthers: Type.Array(Type.Object({ siren: Type.String(), name: Nullable(Type.String()) }), {
    description: 'Other organisations this domain is verified for.',
  }),
});
export type DomainCheck = Static<typeof DomainCheck>;

export const RequestDetail = Type.Composite([
  QueueItem,
  Type.Object({
    civility: StringEnum([...CIVILITIES, '']),
    jobTitle: Type.String(),
    phone: Type.String(),
    quartiersFertiles: Type.Boolean(),
    trusted: Type.Boolean(),
    trustReason: Type.String(),
    enteredBy: Nullable(Type.String()),
    decidedAt: Nullable(Type.String()),
    decidedBy: Nullable(Type.String()),
    rejection: Nullable(Type.Object({ reason: Type.String(), comment: Type.String() })),
    directoryRecord: Nullable({ ...Organisation, description: "The organisation's record in the directory (null if it has left it, or was never in it)." }),
    declaredCommune: Nullable(Type.String({ description: 'The commune the applicant gave for an organisation outside the directory.' })),
    related: Type.Array(RelatedRecord),
    duplicateFlag: Type.Boolean({ description: 'True when another request or account shares the email.' }),
    history: Type.Array(HistoryEntry),
    claimedByMe: Type.Boolean({ description: 'True when the signed-in approver holds the claim.' }),
    enteredByMe: Type.Boolean({ description: 'True when the signed-in staff member typed the request: someone else must decide it.' }),
    accountStatus: Nullable(
      StringEnum(['invited', 'active', 'disabled'], { description: 'The account created for the request, if any: "invited" until its password is set, then "active".' }),
    ),
    domainCheck: DomainCheck,
  }),
]);
export type RequestDetail = Static<typeof RequestDetail>;

export const VerifiedDomainView = Type.Object({
  domain: Type.String(),
  reason: Type.String(),
  verifiedAt: Type.String(),
  verifiedBy: Type.String({ description: 'A staff member\'s name, or « Import » for a CSV import.' }),
});
export type VerifiedDomainView = Static<typeof VerifiedDomainView>;

export const RejectionReason = Type.Object({
  id: Type.String(),
  label: Type.String(),
  active: Type.Boolean(),
});
export type RejectionReason = Static<typeof RejectionReason>;

export const TrustRuleView = Type.Object({
  id: Type.String(),
  kind: StringEnum(['siren', 'legal_category']),
  value: Type.String(),
  label: Type.String({ description: 'Organisation name for a SIREN rule, category label for a legal-category rule.' }),
  reason: Type.String(),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String()),
});
export type TrustRuleView = Static<typeof TrustRuleView>;

export const TrustRuleCreated = Type.Object({
  rule: TrustRuleView,
  coveredPending: Type.Array(QueueItem, { description: 'Pending requests the new rule covers: the approver may approve them at once.' }),
});
export type TrustRuleCreated = Static<typeof TrustRuleCreated>;

export const BulkApproveResponse = Type.Object({
  approved: Type.Array(Type.String()),
  skipped: Type.Array(Type.Object({ id: Type.String(), message: Type.String() }), {
    description: 'Requests left alone (claimed by someone else, or decided meanwhile), with why.',
  }),
});
export type BulkApproveResponse = Static<typeof BulkApproveResponse>;

export const StaffAccount = Type.Object({
  id: Type.String(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  role: StringEnum(ROLES),
  status: Type.String(),
  createdAt: Type.String(),
});
export type StaffAccount = Static<typeof StaffAccount>;

export const SessionsEnded = Type.Object({
  ended: Type.Integer({ description: 'How many sessions were ended.' }),
  message: Type.String(),
});
export type SessionsEnded = Static<typeof SessionsEnded>;

export const SearchResult = Type.Object({
  registrations: Type.Array(
    Type.Composite([QueueItem, Type.Object({ accountId: Nullable(Type.String()), accountStatus: Nullable(Type.String()) })]),
  ),
  accounts: Type.Array(StaffAccount),
});
export type SearchResult = Static<typeof SearchResult>;

export const KioskView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String({ description: 'Display name of the admin who enrolled it.' })),
  lastSeenAt: Nullable(Type.String({ description: 'The last time the kiosk sent a request with its key.' })),
  revokedAt: Nullable(Type.String()),
});
export type KioskView = Static<typeof KioskView>;

export const KioskEnrolled = Type.Object({
  kiosk: KioskView,
  key: Type.String({ description: "The kiosk's key: shown this once, never stored by the service." }),
  message: Type.String({ description: 'French: where to paste the key.' }),
});
export type KioskEnrolled = Static<typeof KioskEnrolled>;
