import { HealthResponse } from '../common/api/contracts.js';
import type { RoutesPlugin } from './http/routes-plugin.js';
import { VERSION } from './version.js';

export const serviceRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['service'], summary: 'Liveness and the database in use', response: { 200: HealthResponse } },
    },
    async () => ({ status: 'ok' as const, version: VERSION, database: ctx.databaseKind }),
  );
};
