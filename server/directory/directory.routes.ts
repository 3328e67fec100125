import type { InferType } from 'yup';
import { DirectorySearchResponse, Organisation } from '../../common/api/contracts.js';
import { directorySearchSchema } from '../../common/directory/search.js';
import { identifierErrorMessage, parseIdentifier } from '../../common/identifiers/siren.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientReadLimit } from '../http/rate-limits.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { findOrganisation } from './directory.repository.js';
import { searchDirectory, toOrganisationView } from './directory.service.js';
import { DomainError, invalidField } from '../shared/domain-error.js';
import * as yup from 'yup';

const sirenParams = yup.object({
  siren: yup.string().required().matches(/^\d{9}$/, 'Le SIREN doit compter 9 chiffres.'),
});

export const directoryRoutes: RoutesPlugin = async (app, { ctx }) => {
  const limit = perClientReadLimit(ctx.config, ctx.config.directoryRateLimitPerMinute);
  app.get<{ Querystring: InferType<typeof directorySearchSchema> }>(
    '/api/directory/search',
    {
      config: { ...limit, access: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Search the organisation directory (name, town, postcode, SIREN or SIRET), 10 per page, optionally in one département or among public bodies only',
        querystring: fromYup(directorySearchSchema),
        response: {
          200: DirectorySearchResponse,
          400: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) =>
      searchDirectory(ctx.db, ctx.databaseKind, request.query.q, request.query.page, {
        departement: request.query.departement || null,
        publicOnly: request.query.publicOnly,
      }),
  );

  app.get<{ Params: { siren: string } }>(
    '/api/directory/organisations/:siren',
    {
      config: { ...limit, access: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'One organisation of the directory by SIREN',
        params: fromYup(sirenParams),
        response: { 200: Organisation, 400: errorResponseSchema, 404: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (request) => {
      // A mistyped SIREN gets the search's words, not a bare "not found".
      const identifier = parseIdentifier(request.params.siren);
      if (identifier && !identifier.valid) throw invalidField('siren', identifierErrorMessage(identifier));
      const found = await findOrganisation(ctx.db, request.params.siren);
      if (!found) throw new DomainError('organisation_not_found', "Aucun organisme de l'annuaire ne porte ce SIREN.");
      return toOrganisationView(found);
    },
  );
};
