import type { FastifyPluginAsync } from 'fastify';
import type { InferType } from 'yup';
import { ADMINS } from '../../common/staff/roles.js';
import { kioskEnrolmentSchema } from '../../common/staff/schemas.js';
import type { AppContext } from '../context.js';
import { currentUser } from '../http/access.js';
import { errorResponseSchema } from '../http/errors.js';
import { arraySchema, idParams, objectSchema } from '../http/route-schemas.js';
import { fromYup } from '../http/validation.js';
import { enrolKiosk, listKiosks, revokeKiosk } from './kiosks.service.js';

type IdRoute = { Params: { id: string } };
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

export const kioskRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/staff/kiosks',
    { config: { access: ADMINS }, schema: { tags: ['kiosks'], summary: 'Enrolled kiosks, active first (never their keys)', response: { 200: arraySchema, ...errors } } },
    async () => listKiosks(ctx),
  );

  app.post<{ Body: InferType<typeof kioskEnrolmentSchema> }>(
    '/api/staff/kiosks',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['kiosks'],
        summary: "Enrol a kiosk by name: the answer carries its key, shown this once, to paste in the kiosk's settings",
        body: fromYup(kioskEnrolmentSchema),
        response: { 201: objectSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await enrolKiosk(ctx, currentUser(request).id, request.body.name)),
  );

  app.post<IdRoute>(
    '/api/staff/kiosks/:id/revoke',
    {
      config: { access: ADMINS },
      schema: { tags: ['kiosks'], summary: 'Revoke a kiosk: its key stops working at once', params: idParams, response: { 200: objectSchema, ...errors } },
    },
    async (request) => revokeKiosk(ctx, currentUser(request).id, request.params.id),
  );
};
