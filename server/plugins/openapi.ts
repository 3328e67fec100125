import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { VERSION } from '../version.js';

/** The OpenAPI document, built from every route's schemas, at /api/openapi.json. */
export const openApi = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Guichet – API du guichet de création de comptes ANRUSCOPE',
        version: VERSION,
        description: 'Creation of ANRU partner-portal accounts: directory search, captcha, registration, set-password links, sign-in.',
      },
    },
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
});
