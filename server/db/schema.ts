import type { Generated, Insertable, Selectable } from 'kysely';

// Dates are ISO-8601 UTC strings and booleans are 0/1 integers: the one
// representation that SQLite and PostgreSQL store, compare and return alike.
export type IsoDate = string;
export type Flag = 0 | 1;

export interface OrganisationsTable {
  siren: string;
  name: string;
  kind: string;
  legal_category: string;
  town: string | null;
  /** Space-separated postcodes. */
  postcodes: string;
  departement: string | null;
  population: number;
  /** The folded name, for ranking exact and leading matches first. */
  name_key: string;
  /** Lowercased, accent-free words of name, town, postcodes and département, framed by spaces. */
  search_text: string;
  source: string;
  sigle: string | null;
  /** APE code (NAF rev. 2). */
  activity: string | null;
  head_siret: string | null;
  address: string | null;
  /** Sirene's last processing date of the unit: an import changes a row only when it moved on. */
  updated_at: string | null;
  /** A (active) or C (ceased): ceased units leave search. */
  state: string;
  /** The day a ceased unit closed (YYYY-MM-DD), when Sirene gives it. */
  closed_on: string | null;
  /** O (public) or P (partly non-diffusible): the latter show their SIREN and nothing else. */
  diffusion: string;
  name_words: string;
  place_words: string;
  /** Public bodies first, then size, then open establishments, then SIREN: see directory/ranking.ts. */
  search_rank: number;
  /** The acronym as an exact search compares it (directory/exact-tier.ts). */
  sigle_key: string | null;
  /** Open establishments of the unit, when a Sirene import counted two or more (their usual names are among name_words). */
  open_establishments: Generated<number>;
}

export type TrustRuleKind = 'siren' | 'legal_category';

export interface TrustRulesTable {
  id: string;
  kind: TrustRuleKind;
  value: string;
  reason: string;
  created_at: IsoDate;
  created_by: string | null;
}

export interface CaptchaChallengesTable {
  id: string;
  answer_hash: string;
  salt: string;
  expires_at: IsoDate;
  used_at: IsoDate | null;
}

export type RegistrationStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type Channel = 'web' | 'kiosk' | 'phone';

export interface RegistrationsTable {
  id: string;
  created_at: IsoDate;
  status: RegistrationStatus;
  channel: Channel;
  civility: string;
  last_name: string;
  first_name: string;
  job_title: string;
  quartiers_fertiles: Flag;
  siren: string;
  organisation_name: string;
  email: string;
  phone: string;
  trusted: Flag;
  trust_rule_id: string | null;
  trust_reason: string;
  decided_at: IsoDate | null;
  account_id: string | null;
  entered_by: string | null;
  claimed_by: string | null;
  claimed_until: IsoDate | null;
  decided_by: string | null;
  /** The canned reason's label at the time of the decision (reasons can be edited later). */
  rejection_reason: string | null;
  rejection_comment: string | null;
  /** Set by clients that may send the same request twice (offline replay): the second is a no-op. */
  idempotency_key: string | null;
  /** Whose key it is: "web", "kiosk:<kiosk id>" or "phone:<account id>". */
  idempotency_scope: string | null;
  /** SHA-256 of the request the key came with: the same key with another request is refused. */
  idempotency_body_hash: string | null;
  /** 1: the SIREN has a valid key but was not in the directory; organisation_name is the applicant's. */
  off_directory: Generated<Flag>;
  /** The commune the applicant gave for an organisation outside the directory. */
  organisation_commune: string | null;
}

/** Disabled: a staff member whose access an admin withdrew; no sign-in, no session. */
export type AccountStatus = 'invited' | 'active' | 'disabled';
export type { Role } from '../../common/staff/roles.js';
import type { Role } from '../../common/staff/roles.js';

export interface AccountsTable {
  id: string;
  email: string;
  civility: string;
  last_name: string;
  first_name: string;
  job_title: string;
  phone: string;
  siren: string | null;
  role: Role;
  status: AccountStatus;
  password_hash: string | null;
  created_at: IsoDate;
  activated_at: IsoDate | null;
  failed_sign_ins: Generated<number>;
  locked_until: IsoDate | null;
}

/** A first invitation sets the password; a reset (the account has one already) changes it, and lives shorter. */
export type TokenPurpose = 'set_password' | 'reset_password';

export interface TokensTable {
  id: string;
  account_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  created_at: IsoDate;
  expires_at: IsoDate;
  used_at: IsoDate | null;
  /** When a newer link of the same purpose was sent: this one no longer works. */
  superseded_at: IsoDate | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  account_id: string;
  created_at: IsoDate;
  expires_at: IsoDate;
  /** The last request seen with it, to the minute: the idle timeout counts from here (null: from created_at). */
  last_seen_at: IsoDate | null;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: IsoDate;
  attempts: Generated<number>;
  next_attempt_at: IsoDate;
  locked_until: IsoDate | null;
  sent_at: IsoDate | null;
  last_error: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: IsoDate;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON object with the before/after that matters. */
  details: string;
  /** When housekeeping blanked the personal fields of details (and an email subject_id), past the audit's retention period. */
  pseudonymised_at: IsoDate | null;
}

export interface RejectionReasonsTable {
  id: string;
  label: string;
  active: Flag;
  position: number;
  created_at: IsoDate;
}

/** Failed sign-ins per client address, for throttling and temporary locks. */
export interface SignInThrottleTable {
  client: string;
  failures: number;
  window_started_at: IsoDate;
  locked_until: IsoDate | null;
}

/** Per address, the times of its last five public emails (new link, "adresse déjà utilisée", lock notice), newest first. */
export interface MailQuotasTable {
  /** Lower-case. */
  recipient: string;
  sent_1: IsoDate;
  sent_2: IsoDate | null;
  sent_3: IsoDate | null;
  sent_4: IsoDate | null;
  sent_5: IsoDate | null;
}

export interface RateLimitHitsTable {
  key: string;
  hits: number;
  window_ends: IsoDate;
}

export interface StagingUnitsTable {
  siren: string;
  name: string;
  kind: string;
  sigle: string | null;
  legal_category: string;
  activity: string | null;
  state: string;
  diffusion: string;
  headcount: number;
  closed_on: string | null;
  name_key: string;
  name_words: string;
  search_rank: number;
  updated_at: string | null;
  sigle_key: string | null;
  /** Set at apply from staging_establishments. */
  open_establishments?: number;
}

export interface StagingHeadOfficesTable {
  siren: string;
  siret: string;
  address: string | null;
  town: string | null;
  postcode: string | null;
  departement: string | null;
  place_words: string;
  diffusion: string;
}

/** What a run of one unit's establishments in a StockEtablissement file adds to the unit: how many are open, their usual names. */
export interface StagingEstablishmentsTable {
  siren: string;
  open_count: number;
  usual_words: string;
}

/** Progress of each import file, so an interrupted import resumes where it stopped. */
export interface DirectoryImportsTable {
  file_key: string;
  rows_done: number;
  /** JSON: rejected row counts by reason. */
  rejected: string;
  status: 'staging' | 'staged';
  updated_at: string;
}

/** A kiosk an admin enrolled: it replays the requests its applicants completed offline. */
export interface KioskDevicesTable {
  id: string;
  name: string;
  /** SHA-256 of the kiosk's key; the key itself is shown once, at enrolment. */
  token_hash: string;
  created_by: string;
  created_at: IsoDate;
  last_seen_at: IsoDate | null;
  revoked_at: IsoDate | null;
}

/** An email domain verified for an organisation: its people's requests may skip approval. */
export interface OrganisationDomainsTable {
  id: string;
  siren: string;
  /** Lower-case, without the "@". */
  domain: string;
  reason: string;
  verified_at: IsoDate;
  /** The account that verified it, or "import". */
  verified_by: string;
}

/** A secret the service generates once and every instance shares (the proof of work's signing key). */
export interface ServiceSecretsTable {
  name: string;
  value: string;
  created_at: IsoDate;
}

/** A proof-of-work challenge already used: the same solution is never taken twice. */
export interface ProofOfWorkSpentTable {
  /** The challenge's salt: random, and covered by its signature. */
  id: string;
  expires_at: IsoDate;
}

/** One distinct word of the directory's search text. */
export interface SearchWordsTable {
  word: string;
}

/** A word of the vocabulary filed under its prefix, less a letter or not: the deletion index of suggestions.ts. */
export interface SearchWordDeletesTable {
  key: string;
  word: string;
}

export interface Database {
  organisations: OrganisationsTable;
  trust_rules: TrustRulesTable;
  captcha_challenges: CaptchaChallengesTable;
  registrations: RegistrationsTable;
  accounts: AccountsTable;
  tokens: TokensTable;
  sessions: SessionsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  rejection_reasons: RejectionReasonsTable;
  sign_in_throttle: SignInThrottleTable;
  rate_limit_hits: RateLimitHitsTable;
  mail_quotas: MailQuotasTable;
  staging_units: StagingUnitsTable;
  staging_head_offices: StagingHeadOfficesTable;
  directory_imports: DirectoryImportsTable;
  kiosk_devices: KioskDevicesTable;
  search_words: SearchWordsTable;
  search_word_deletes: SearchWordDeletesTable;
  staging_establishments: StagingEstablishmentsTable;
  organisation_domains: OrganisationDomainsTable;
  staging_words: SearchWordsTable;
  service_secrets: ServiceSecretsTable;
  proof_of_work_spent: ProofOfWorkSpentTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type TrustRule = Selectable<TrustRulesTable>;
export type Registration = Selectable<RegistrationsTable>;
export type Account = Selectable<AccountsTable>;
export type KioskDevice = Selectable<KioskDevicesTable>;
export type OrganisationDomain = Selectable<OrganisationDomainsTable>;
