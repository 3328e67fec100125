import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../common/staff/roles.js';
import { hashPassword } from '../../server/accounts/password-hash.js';
import { hashToken, randomToken } from '../../server/shared/secrets.js';

export const STAFF_PASSWORD = 'Guichet-Personnel-2026';

export interface Person {
  id: string;
  email: string;
  role: Role;
  /** Cookie header value of a live session. */
  cookies: { guichet_session: string };
}

let passwordHash: Promise<string> | null = null;

/** An active account of the given role, with a live session, written straight to the database. */
export async function personWithRole(app: FastifyInstance, role: Role, name: string = role): Promise<Person> {
  passwordHash ??= hashPassword(STAFF_PASSWORD);
  const now = app.ctx.clock.now();
  const id = randomUUID();
  const email = `${name}.${id.slice(0, 8)}@anru.fr`;
  await app.ctx.db
    .insertInto('accounts')
    .values({
      id,
      email,
      civility: '',
      last_name: name.charAt(0).toUpperCase() + name.slice(1),
      first_name: 'Test',
      job_title: '',
      phone: '',
      siren: null,
      role,
      status: 'active',
      password_hash: await passwordHash,
      created_at: now.toISOString(),
      activated_at: now.toISOString(),
      locked_until: null,
    })
    .execute();
  const token = randomToken();
  await app.ctx.db
    .insertInto('sessions')
    .values({ id: randomUUID(), token_hash: hashToken(token), account_id: id, created_at: now.toISOString(), expires_at: new Date(now.getTime() + 30 * 86_400_000).toISOString() })
    .execute();
  return { id, email, role, cookies: { guichet_session: token } };
}

/**
 * Marks these people's sessions as used just now, as if they had kept working
 * while the test moved the clock on: staff sessions end after 30 idle minutes.
 */
export async function stillActive(app: FastifyInstance, ...people: Person[]): Promise<void> {
  await app.ctx.db
    .updateTable('sessions')
    .set({ last_seen_at: app.ctx.clock.now().toISOString() })
    .where('account_id', 'in', people.map((p) => p.id))
    .execute();
}
