import { Type } from '@sinclair/typebox';
import type { InferType } from 'yup';
import { AcceptedResponse } from '../../common/api/contracts.js';
import { QueueResponse, RejectionReason, RequestDetail } from '../../common/api/staff.js';
import { APPROVERS, DESK_STAFF, ADMINS } from '../../common/staff/roles.js';
import { approveSchema, queueQuerySchema, rejectionReasonSchema, rejectSchema } from '../../common/staff/schemas.js';
import { currentUser } from '../http/access.js';
import { errorResponseSchema } from '../http/errors.js';
import { idParams, noContent, staffErrors as errors } from '../http/route-schemas.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { approve, cancel, claim, reject, release, resendInvitation } from './decisions.service.js';
import { createReason, listReasons, updateReason } from './rejection-reasons.service.js';
import { addOrganisationFromRequest } from './off-directory.service.js';
import { listQueue } from './queue.service.js';
import { requestDetail } from './request-detail.service.js';
import { addOrganisationSchema, type AddOrganisationRequest } from '../../common/directory/add-organisation.js';

type IdRoute = { Params: { id: string } };

export const approvalRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.get<{ Querystring: InferType<typeof queueQuerySchema> }>(
    '/api/staff/queue',
    {
      config: { access: APPROVERS },
      schema: { tags: ['approvals'], summary: 'The approval queue, oldest first, with filters and the waiting count', querystring: fromYup(queueQuerySchema), response: { 200: QueueResponse, ...errors } },
    },
    async (request) => listQueue(ctx, request.query),
  );

  app.get<IdRoute>(
    '/api/staff/requests/:id',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['approvals'], summary: 'A request with its organisation, related records and history (read only)', params: idParams, response: { 200: RequestDetail, ...errors } },
    },
    async (request) => requestDetail(ctx, request.params.id, currentUser(request)),
  );

  app.post<IdRoute>(
    '/api/staff/requests/:id/claim',
    {
      config: { access: APPROVERS },
      schema: { tags: ['approvals'], summary: 'Open a request for examination: it is held for a few minutes', params: idParams, response: { 200: RequestDetail, ...errors } },
    },
    async (request) => claim(ctx, request.params.id, currentUser(request)),
  );

  app.delete<IdRoute>(
    '/api/staff/requests/:id/claim',
    {
      config: { access: APPROVERS },
      schema: { tags: ['approvals'], summary: 'Let go of a request without deciding', params: idParams, response: { 204: noContent, ...errors } },
    },
    async (request, reply) => {
      await release(ctx, request.params.id, currentUser(request));
      return reply.code(204).send();
    },
  );

  app.post<IdRoute & { Body: InferType<typeof approveSchema> | undefined }>(
    '/api/staff/requests/:id/approve',
    {
      config: { access: APPROVERS },
      // Approving without options is a POST with no body (as before the domain option existed).
      preValidation: async (request) => {
        request.body ??= { verifyDomain: false };
      },
      schema: {
        tags: ['approvals'],
        summary: "Approve: the account is created and the set-password email leaves; optionally verify the email's domain for the organisation",
        params: idParams,
        body: fromYup(approveSchema),
        response: { 200: RequestDetail, ...errors },
      },
    },
    async (request) => {
      await approve(ctx, request.params.id, currentUser(request), { verifyDomain: request.body?.verifyDomain ?? false });
      return requestDetail(ctx, request.params.id, currentUser(request));
    },
  );

  app.post<IdRoute & { Body: AddOrganisationRequest }>(
    '/api/staff/requests/:id/organisation',
    {
      config: { access: APPROVERS },
      schema: {
        tags: ['approvals'],
        summary: 'Add the organisation a request names outside the directory (name, INSEE legal category, commune), with the reason for the audit',
        params: idParams,
        body: fromYup(addOrganisationSchema),
        response: { 200: RequestDetail, ...errors },
      },
    },
    async (request) => {
      await addOrganisationFromRequest(ctx, request.params.id, currentUser(request), request.body);
      return requestDetail(ctx, request.params.id, currentUser(request));
    },
  );

  app.post<IdRoute & { Body: InferType<typeof rejectSchema> }>(
    '/api/staff/requests/:id/reject',
    {
      config: { access: APPROVERS },
      schema: { tags: ['approvals'], summary: 'Reject with a canned reason and an optional comment; the applicant is emailed', params: idParams, body: fromYup(rejectSchema), response: { 200: RequestDetail, ...errors } },
    },
    async (request) => {
      await reject(ctx, request.params.id, currentUser(request), request.body.reasonId, request.body.comment);
      return requestDetail(ctx, request.params.id, currentUser(request));
    },
  );

  app.post<IdRoute>(
    '/api/staff/requests/:id/cancel',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['approvals'], summary: 'Cancel a pending request (e.g. at the caller\'s demand)', params: idParams, response: { 200: RequestDetail, ...errors } },
    },
    async (request) => {
      await cancel(ctx, request.params.id, currentUser(request));
      return requestDetail(ctx, request.params.id, currentUser(request));
    },
  );

  app.post<IdRoute>(
    '/api/staff/requests/:id/resend-invitation',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['approvals'], summary: 'Send the set-password email again (a few times a day at most)', params: idParams, response: { 200: AcceptedResponse, 429: errorResponseSchema, ...errors } },
    },
    async (request) => {
      await resendInvitation(ctx, request.params.id, currentUser(request));
      return { message: "L'invitation a été renvoyée : un nouveau lien de définition du mot de passe vient de partir." };
    },
  );

  app.get(
    '/api/staff/rejection-reasons',
    {
      config: { access: APPROVERS },
      schema: { tags: ['approvals'], summary: 'Canned rejection reasons (admins also see inactive ones)', response: { 200: Type.Array(RejectionReason), ...errors } },
    },
    async (request) => listReasons(ctx, currentUser(request).role === 'admin'),
  );

  app.post<{ Body: InferType<typeof rejectionReasonSchema> }>(
    '/api/staff/rejection-reasons',
    {
      config: { access: ADMINS },
      schema: { tags: ['approvals'], summary: 'Add a canned rejection reason', body: fromYup(rejectionReasonSchema), response: { 201: RejectionReason, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createReason(ctx, currentUser(request).id, request.body.label, request.body.active)),
  );

  app.put<IdRoute & { Body: InferType<typeof rejectionReasonSchema> }>(
    '/api/staff/rejection-reasons/:id',
    {
      config: { access: ADMINS },
      schema: { tags: ['approvals'], summary: 'Edit or deactivate a canned rejection reason', params: idParams, body: fromYup(rejectionReasonSchema), response: { 200: RejectionReason, ...errors } },
    },
    async (request) => updateReason(ctx, currentUser(request).id, request.params.id, request.body.label, request.body.active),
  );
};
