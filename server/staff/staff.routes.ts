import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { InferType } from 'yup';
import { RegistrationResponse } from '../../common/api/contracts.js';
import { SearchResult, SessionsEnded, StaffAccount } from '../../common/api/staff.js';
import { ADMINS, DESK_STAFF } from '../../common/staff/roles.js';
import { phoneRegistrationSchema, staffAccessChangeSchema, staffAccountSchema, staffRoleChangeSchema, staffSearchSchema } from '../../common/staff/schemas.js';
import { auditCsv } from '../audit/export.js';
import type { AppContext } from '../context.js';
import { currentUser } from '../http/access.js';
import { errorResponseSchema } from '../http/errors.js';
import { idempotencyOf } from '../http/idempotency.js';
import { fileContent, idParams, staffErrors as errors } from '../http/route-schemas.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { capturedOfflineOf, phoneRegistrationHeadersSchema } from '../registrations/registrations.routes.js';
import { submitRegistration } from '../registrations/registrations.service.js';
import { searchPeople } from './search.service.js';
import { changeStaffRole, createStaff, disableStaff, enableStaff, endStaffSessions, listStaff } from './staff-accounts.service.js';

type AccessChangeRoute = { Params: { id: string }; Body: InferType<typeof staffAccessChangeSchema> };

export const staffRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.post<{ Body: InferType<typeof phoneRegistrationSchema> }>(
    '/api/staff/phone-registrations',
    {
      config: { access: DESK_STAFF },
      schema: {
        tags: ['registrations'],
        summary: 'An agent registers a caller: the same wizard without captcha, recorded as entered by the agent',
        headers: fromYup(phoneRegistrationHeadersSchema),
        body: fromYup(phoneRegistrationSchema),
        response: { 202: RegistrationResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { confirm: _confirmed, ...data } = request.body;
      const agent = currentUser(request).id;
      const capturedOffline = capturedOfflineOf(request.headers);
      const submission = {
        data,
        channel: 'phone' as const,
        enteredBy: agent,
        // The agent's account, not the session: a desk's outbox may replay after its agent signed in again.
        idempotency: idempotencyOf(request, `phone:${agent}`, { data, capturedOffline }),
        capturedOffline,
      };
      return reply.code(202).send(await submitRegistration(ctx, submission));
    },
  );

  app.get<{ Querystring: InferType<typeof staffSearchSchema> }>(
    '/api/staff/search',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['staff'], summary: 'Requests and accounts by name, email or SIREN', querystring: fromYup(staffSearchSchema), response: { 200: SearchResult, ...errors } },
    },
    async (request) => searchPeople(ctx, request.query.q),
  );

  app.get(
    '/api/staff/accounts',
    { config: { access: ADMINS }, schema: { tags: ['staff'], summary: 'Staff accounts', response: { 200: Type.Array(StaffAccount), ...errors } } },
    async () => listStaff(ctx),
  );

  app.post<{ Body: InferType<typeof staffAccountSchema> }>(
    '/api/staff/accounts',
    {
      config: { access: ADMINS },
      schema: { tags: ['staff'], summary: 'Create a staff account; the person gets a set-password email', body: fromYup(staffAccountSchema), response: { 201: StaffAccount, ...errors } },
    },
    async (request, reply) => {
      const { account } = await createStaff(ctx, currentUser(request).id, request.body);
      return reply.code(201).send(account);
    },
  );

  // The admin's changes to a staff account that need nothing but a reason, each one route.
  function accessChange<T extends TSchema>(
    action: string,
    summary: string,
    answer: T,
    change: (ctx: AppContext, actor: string, id: string, reason: string) => Promise<Static<T>>,
  ): void {
    app.post<AccessChangeRoute>(
      `/api/staff/accounts/:id/${action}`,
      {
        config: { access: ADMINS },
        schema: { tags: ['staff'], summary, params: idParams, body: fromYup(staffAccessChangeSchema), response: { 200: answer, ...errors } },
      },
      async (request) => change(ctx, currentUser(request).id, request.params.id, request.body.reason),
    );
  }
  accessChange('disable', "Withdraw a staff member's access (reason required): sign-in refused, sessions ended at once; never the last active admin", StaffAccount, disableStaff);
  accessChange('enable', 'Give a disabled staff member their access back (reason required)', StaffAccount, enableStaff);
  accessChange('end-sessions', 'End every session of a staff member (reason required): they must sign in again', SessionsEnded, endStaffSessions);

  app.post<{ Params: { id: string }; Body: InferType<typeof staffRoleChangeSchema> }>(
    '/api/staff/accounts/:id/role',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['staff'],
        summary: 'Change a staff role (agent, approver, admin; reason required), effective on the next request; never the last active admin',
        params: idParams,
        body: fromYup(staffRoleChangeSchema),
        response: { 200: StaffAccount, ...errors },
      },
    },
    async (request) => changeStaffRole(ctx, currentUser(request).id, request.params.id, request.body.role, request.body.reason),
  );

  app.get(
    '/api/staff/audit.csv',
    {
      config: { access: ADMINS },
      schema: { tags: ['audit'], summary: 'The whole audit trail as CSV', produces: ['text/csv'], response: { 200: fileContent, 401: errorResponseSchema, 403: errorResponseSchema } },
    },
    async (_request, reply) => {
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="guichet-audit-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(auditCsv(ctx.db));
    },
  );
};
