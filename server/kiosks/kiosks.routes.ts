import { Type } from '@sinclair/typebox';
import type { InferType } from 'yup';
import { KioskEnrolled, KioskView } from '../../common/api/staff.js';
import { ADMINS } from '../../common/staff/roles.js';
import { kioskEnrolmentSchema } from '../../common/staff/schemas.js';
import { currentUser } from '../http/access.js';
import { idParams, staffErrors as errors } from '../http/route-schemas.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { enrolKiosk, listKiosks, revokeKiosk } from './kiosks.service.js';

type IdRoute = { Params: { id: string } };

export const kioskRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.get(
    '/api/staff/kiosks',
    { config: { access: ADMINS }, schema: { tags: ['kiosks'], summary: 'Enrolled kiosks, active first (never their keys)', response: { 200: Type.Array(KioskView), ...errors } } },
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
        response: { 201: KioskEnrolled, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await enrolKiosk(ctx, currentUser(request).id, request.body.name)),
  );

  app.post<IdRoute>(
    '/api/staff/kiosks/:id/revoke',
    {
      config: { access: ADMINS },
      schema: { tags: ['kiosks'], summary: 'Revoke a kiosk: its key stops working at once', params: idParams, response: { 200: KioskView, ...errors } },
    },
    async (request) => revokeKiosk(ctx, currentUser(request).id, request.params.id),
  );
};
