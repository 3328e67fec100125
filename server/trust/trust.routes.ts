import { Type } from '@sinclair/typebox';
import * as yup from 'yup';
import { BulkApproveResponse, TrustRuleCreated, TrustRuleView, VerifiedDomainView } from '../../common/api/staff.js';
import { isValidSiren } from '../../common/identifiers/siren.js';
import { ADMINS, APPROVERS } from '../../common/staff/roles.js';
import { removeTrustRuleSchema, removeVerifiedDomainSchema, trustRuleSchema, verifiedDomainSchema } from '../../common/staff/schemas.js';
import { currentUser } from '../http/access.js';
import { idParams, noContent, staffErrors as errors } from '../http/route-schemas.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { addDomain, listDomains, removeDomain } from './domains.service.js';
import { addRule, approveCovered, listRules, removeRule } from './trust-admin.service.js';
import { UNKNOWN_FIELD } from '../../common/validation/locale.js';

type IdRoute = { Params: { id: string } };
type SirenRoute = { Params: { siren: string } };

const sirenParams = fromYup(
  yup.object({
    siren: yup
      .string()
      .required()
      .max(9, "Le SIREN n'est pas valide (9 chiffres et clé de contrôle).")
      .test('siren', "Le SIREN n'est pas valide (9 chiffres et clé de contrôle).", (v) => (v ? isValidSiren(v) : false)),
  }),
);

const approveCoveredSchema = yup
  .object({
    ids: yup
      .array(yup.string().required().max(64))
      .required('Choisissez les demandes à approuver.')
      .min(1, 'Choisissez au moins une demande à approuver.')
      .max(500, 'Approuvez au plus 500 demandes à la fois.'),
  })
  .exact(UNKNOWN_FIELD);

export const trustRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.get(
    '/api/staff/trust-rules',
    { config: { access: APPROVERS }, schema: { tags: ['trust'], summary: 'The trust domain: rules by SIREN and by INSEE legal category', response: { 200: Type.Array(TrustRuleView), ...errors } } },
    async () => listRules(ctx),
  );

  app.post<{ Body: yup.InferType<typeof trustRuleSchema> }>(
    '/api/staff/trust-rules',
    {
      config: { access: APPROVERS },
      schema: {
        tags: ['trust'],
        summary: 'Add a rule (reason required); answers with the pending requests it now covers',
        body: fromYup(trustRuleSchema),
        response: { 201: TrustRuleCreated, ...errors },
      },
    },
    async (request, reply) => {
      const { kind, value, reason } = request.body;
      return reply.code(201).send(await addRule(ctx, currentUser(request), kind, value, reason));
    },
  );

  app.post<IdRoute & { Body: yup.InferType<typeof approveCoveredSchema> }>(
    '/api/staff/trust-rules/:id/approve-covered',
    {
      config: { access: APPROVERS },
      schema: { tags: ['trust'], summary: 'Approve at once pending requests a rule covers', params: idParams, body: fromYup(approveCoveredSchema), response: { 200: BulkApproveResponse, ...errors } },
    },
    async (request) => approveCovered(ctx, currentUser(request), request.params.id, request.body.ids),
  );

  app.post<IdRoute & { Body: yup.InferType<typeof removeTrustRuleSchema> }>(
    '/api/staff/trust-rules/:id/remove',
    {
      config: { access: APPROVERS },
      schema: { tags: ['trust'], summary: 'Remove a rule (reason required)', params: idParams, body: fromYup(removeTrustRuleSchema), response: { 204: noContent, ...errors } },
    },
    async (request, reply) => {
      await removeRule(ctx, currentUser(request), request.params.id, request.body.reason);
      return reply.code(204).send();
    },
  );

  app.get<SirenRoute>(
    '/api/staff/organisations/:siren/domains',
    {
      config: { access: APPROVERS },
      schema: { tags: ['trust'], summary: "The organisation's verified email domains", params: sirenParams, response: { 200: Type.Array(VerifiedDomainView), ...errors } },
    },
    async (request) => listDomains(ctx, request.params.siren),
  );

  app.post<SirenRoute & { Body: yup.InferType<typeof verifiedDomainSchema> }>(
    '/api/staff/organisations/:siren/domains',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['trust'],
        summary: "Verify an email domain for the organisation (reason required; never a free-mail domain); answers with the organisation's domains",
        params: sirenParams,
        body: fromYup(verifiedDomainSchema),
        response: { 201: Type.Array(VerifiedDomainView), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await addDomain(ctx, currentUser(request), request.params.siren, request.body.domain, request.body.reason)),
  );

  app.post<SirenRoute & { Body: yup.InferType<typeof removeVerifiedDomainSchema> }>(
    '/api/staff/organisations/:siren/domains/remove',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['trust'],
        summary: 'Withdraw a verified domain (reason required)',
        params: sirenParams,
        body: fromYup(removeVerifiedDomainSchema),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await removeDomain(ctx, currentUser(request), request.params.siren, request.body.domain, request.body.reason);
      return reply.code(204).send();
    },
  );
};
