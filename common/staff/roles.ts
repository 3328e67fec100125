// Who may do what. Every API route names the roles it admits (or "public").
export const ROLES = ['partner', 'agent', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['agent', 'approver', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  partner: 'Partenaire',
  agent: "Agent d'accueil",
  approver: 'Valideur',
  admin: 'Administrateur',
};

/** Roles that may act as approvers: admins can do everything an approver does. */
export const APPROVERS: readonly Role[] = ['approver', 'admin'];
/** Roles that may register callers by phone and look up requests. */
export const DESK_STAFF: readonly Role[] = ['agent', 'approver', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];
