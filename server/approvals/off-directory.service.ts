import type { AddOrganisationRequest } from '../../common/directory/add-organisation.js';
import { COMMUNE_UNKNOWN_MESSAGE } from '../../common/directory/off-directory.js';
import { legalFamily } from '../../common/directory/legal-categories.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import { communeLabel, communesMatching } from '../directory/communes.js';
import { findOrganisation, insertOrganisations } from '../directory/directory.repository.js';
import { organisationRow } from '../directory/organisation-row.js';
import { findRegistration, renameOrganisation } from '../registrations/registrations.repository.js';
import { DomainError, invalidField } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';
import { OWN_ENTRY } from './decisions.service.js';
import { REQUEST_NOT_FOUND } from './request-detail.service.js';

/** Organisations an approver added from a request: a later Sirene import replaces them with INSEE's record. */
export const ANRU_SOURCE = 'anru';

/** The commune an organisation is placed in: exactly one, or the approver is asked to say which. */
function placeOf(commune: string) {
  const found = communesMatching(commune);
  if (found.length === 0) throw invalidField('commune', COMMUNE_UNKNOWN_MESSAGE);
  if (found.length > 1) {
    const some = found.slice(0, 4).map(communeLabel).join(', ');
    throw invalidField(
      'commune',
      `Plusieurs communes correspondent (${some}${found.length > 4 ? '…' : ''}) : précisez le code postal ou le département, par exemple « ${communeLabel(found[0]!)} ».`,
    );
  }
  const postcode = /\b(\d{5})\b/.exec(commune)?.[1];
  return { commune: found[0]!, postcodes: postcode ? [postcode] : found[0]!.postcodes };
}

/**
 * Adds the organisation a request names outside the directory, as the
 * approver checked it, so that the next colleague finds it by SIREN or name.
 * Refused to whoever typed the request (four eyes), while another approver
 * holds it, and when its SIREN is in the directory already. The request
 * itself is not decided: it waits, with the directory's name, for approval.
 */
export async function addOrganisationFromRequest(ctx: AppContext, id: string, user: SessionUser, input: AddOrganisationRequest): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const { commune, postcodes } = placeOf(input.commune);
  await ctx.db.transaction().execute(async (trx) => {
    const registration = await findRegistration(trx, id);
    if (!registration) throw REQUEST_NOT_FOUND;
    if (registration.entered_by === user.id) throw OWN_ENTRY;
    if (registration.off_directory !== 1) {
      throw new DomainError('not_off_directory', "Cette demande porte sur un organisme de l'annuaire : il n'y a rien à ajouter.");
    }
    if (registration.status === 'pending' && registration.claimed_by && registration.claimed_by !== user.id && (registration.claimed_until ?? '') > now) {
      throw new DomainError('claimed_by_other', "Cette demande est en cours d'examen par un autre valideur : attendez qu'il l'ait terminée.");
    }
    const alreadyThere = new DomainError('already_in_directory', `L'organisme de SIREN ${registration.siren} est déjà dans l'annuaire.`);
    if (await findOrganisation(trx, registration.siren)) throw alreadyThere;
    const row = organisationRow({
      siren: registration.siren,
      name: input.name,
      kind: legalFamily(input.legalCategory),
      legalCategory: input.legalCategory,
      town: commune.name,
      postcodes,
      departement: commune.departement,
      people: 0,
      source: ANRU_SOURCE,
    });
    // Through the repository: the search words' vocabulary learns the new name's words. One row
    // needs no refresh of PostgreSQL's index or statistics (refreshSearchIndex is for bulk loads).
    // Another approver's addition of the same SIREN may have committed since the check above: only the insert knows.
    if ((await insertOrganisations(trx, [row])) === 0) throw alreadyThere;
    await renameOrganisation(trx, id, input.name);
    await recordEvent(trx, now, {
      actor: user.id,
      action: 'organisation_added',
      subjectType: 'organisation',
      subjectId: registration.siren,
      details: {
        registrationId: id,
        name: input.name,
        legalCategory: input.legalCategory,
        commune: communeLabel(commune),
        postcodes,
        declaredName: registration.organisation_name,
        declaredCommune: registration.organisation_commune,
        reason: input.reason,
      },
    });
  });
}
