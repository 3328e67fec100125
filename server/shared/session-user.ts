import type { Role } from '../../common/staff/roles.js';

/** Who is calling, as the access checks and services need it. */
export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  civility: string;
  role: Role;
}
