import { randomUUID } from 'node:crypto';
import type { KioskEnrolled, KioskView } from '../../common/api/staff.js';
import { KIOSK_KEY_PATTERN } from '../../common/registration/offline.js';
import { actorNames } from '../audit/history.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { KioskDevice } from '../db/schema.js';
import { DomainError } from '../shared/domain-error.js';
import { hashToken, randomToken } from '../shared/secrets.js';

// Kiosks that may send their applicants' offline requests without a captcha.
// An admin enrols one by name and gets its key once; the kiosk sends the key
// with every replay. Revoking a kiosk makes its key worthless at once; its
// kept requests then wait on the kiosk until it is enrolled again.

const KIOSK_NOT_FOUND = new DomainError('kiosk_not_found', "Cette borne n'existe pas.");

async function views(ctx: AppContext, rows: KioskDevice[]): Promise<KioskView[]> {
  const names = await actorNames(ctx.db, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    createdBy: names.get(r.created_by) ?? null,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  }));
}

/** Every kiosk ever enrolled, active ones first, by name. */
export async function listKiosks(ctx: AppContext): Promise<KioskView[]> {
  const rows = await ctx.db.selectFrom('kiosk_devices').selectAll().orderBy('name').orderBy('created_at').execute();
  return views(ctx, [...rows.filter((r) => r.revoked_at === null), ...rows.filter((r) => r.revoked_at !== null)]);
}

export async function enrolKiosk(ctx: AppContext, actor: string, name: string): Promise<KioskEnrolled> {
  const key = randomToken();
  const row: KioskDevice = {
    id: randomUUID(),
    name,
    token_hash: hashToken(key),
    created_by: actor,
    created_at: ctx.clock.now().toISOString(),
    last_seen_at: null,
    revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Approvers read the kiosk's name on the requests it sends: two active kiosks must not share one.
    const namesake = await trx.selectFrom('kiosk_devices').select('id').where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
    if (namesake) {
      const message = `Une borne active s'appelle déjà « ${name} » : choisissez un autre nom, ou révoquez d'abord l'ancienne.`;
      throw new DomainError('kiosk_name_taken', message, { name: message });
    }
    await trx.insertInto('kiosk_devices').values(row).execute();
    await recordEvent(trx, row.created_at, { actor, action: 'kiosk_enrolled', subjectType: 'kiosk', subjectId: row.id, details: { name } });
  });
  const [kiosk] = await views(ctx, [row]);
  return {
    kiosk: kiosk!,
    key,
    message: `Borne « ${name} » enregistrée. Copiez sa clé maintenant et collez-la dans les paramètres du poste de la borne (champ « Clé de la borne ») : elle ne sera plus jamais affichée.`,
  };
}

export async function revokeKiosk(ctx: AppContext, actor: string, id: string): Promise<KioskView> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('kiosk_devices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw KIOSK_NOT_FOUND;
    if (before.revoked_at !== null) throw new DomainError('kiosk_already_revoked', `La borne « ${before.name} » est déjà révoquée.`);
    await trx.updateTable('kiosk_devices').set({ revoked_at: now }).where('id', '=', id).execute();
    await recordEvent(trx, now, { actor, action: 'kiosk_revoked', subjectType: 'kiosk', subjectId: id, details: { name: before.name } });
    return { ...before, revoked_at: now };
  });
  const [kiosk] = await views(ctx, [row]);
  return kiosk!;
}

/**
 * The enrolled, unrevoked kiosk holding this key, or null. Unknown and revoked
 * keys are told apart nowhere: both are one indexed lookup that finds no
 * usable row.
 */
export async function kioskOfKey(ctx: AppContext, key: string | string[] | undefined): Promise<KioskDevice | null> {
  if (typeof key !== 'string' || !KIOSK_KEY_PATTERN.test(key)) return null;
  const row = await ctx.db.selectFrom('kiosk_devices').selectAll().where('token_hash', '=', hashToken(key)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  const now = ctx.clock.now().toISOString();
  await ctx.db.updateTable('kiosk_devices').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  return { ...row, last_seen_at: now };
}
