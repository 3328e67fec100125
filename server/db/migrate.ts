import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026-11-29-initial.js';
import * as staff from './migrations/2026-11-30-staff.js';
import * as sharedState from './migrations/2026-12-01-shared-state.js';
import * as sirene from './migrations/2026-12-02-sirene.js';
import * as kioskDevices from './migrations/2026-12-03-kiosk-devices.js';
import * as searchWords from './migrations/2026-12-04-search-words.js';
import * as supersededLinks from './migrations/2026-12-05-superseded-links.js';
import * as foldedLigatures from './migrations/2026-12-06-folded-ligatures.js';
import * as newestFirstIndexes from './migrations/2026-12-07-newest-first-indexes.js';
import * as verifiedDomains from './migrations/2026-12-08-verified-domains.js';
import * as mailQuotas from './migrations/2026-12-09-mail-quotas.js';
import * as proofOfWork from './migrations/2026-12-10-proof-of-work.js';
import * as sessionSecurity from './migrations/2026-12-11-session-security.js';
import * as staffAccess from './migrations/2026-12-12-staff-access.js';
import * as retention from './migrations/2026-12-13-retention.js';
import * as referenceBodies from './migrations/2026-12-14-reference-bodies.js';
import * as offDirectory from './migrations/2026-12-15-off-directory.js';
import * as forgivingSearch from './migrations/2026-12-16-forgiving-search.js';
import * as directoryIndexes from './migrations/2026-12-17-directory-indexes.js';

// Migrations are imported statically so that a bundled service (the desktop
// app) carries them without reading a folder at run time.
const migrations: Record<string, Migration> = {
  '2026-11-29-initial': initial,
  '2026-11-30-staff': staff,
  '2026-12-01-shared-state': sharedState,
  '2026-12-02-sirene': sirene,
  '2026-12-03-kiosk-devices': kioskDevices,
  '2026-12-04-search-words': searchWords,
  '2026-12-05-superseded-links': supersededLinks,
  '2026-12-06-folded-ligatures': foldedLigatures,
  '2026-12-07-newest-first-indexes': newestFirstIndexes,
  '2026-12-08-verified-domains': verifiedDomains,
  '2026-12-09-mail-quotas': mailQuotas,
  '2026-12-10-proof-of-work': proofOfWork,
  '2026-12-11-session-security': sessionSecurity,
  '2026-12-12-staff-access': staffAccess,
  '2026-12-13-retention': retention,
  '2026-12-14-reference-bodies': referenceBodies,
  '2026-12-15-off-directory': offDirectory,
  '2026-12-16-forgiving-search': forgivingSearch,
  '2026-12-17-directory-indexes': directoryIndexes,
};

/** The schema's versions, in order: the migrator's source (and tests' for upgrading an older database). */
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

export class SchemaError extends Error {}

/** Brings the schema to the latest version; refuses a database migrated by a newer Guichet. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (tables.some((t) => t.name === 'kysely_migration')) {
    const applied: { name: string }[] = await db.selectFrom('kysely_migration').select('name').execute();
    const unknown = applied.map((r) => r.name).filter((name) => !(name in migrations));
    if (unknown.length > 0) {
      throw new SchemaError(
        `La base de données a été mise à jour par une version plus récente de Guichet (migrations inconnues : ${unknown.join(', ')}). ` +
          'Installez cette version plus récente : celle-ci refuse de démarrer pour ne pas abîmer les données.',
      );
    }
  }
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error;
}
