import fp from 'fastify-plugin';
import helmet from 'helmet';

/** Helmet's headers on every answer, and no caching of API answers (they carry personal data). */
export const securityHeaders = fp<{ publicUrl: string }>(async (app, { publicUrl }) => {
  // Behind https, browsers are told to stay on https; on a plain-http desk
  // (kiosks on a LAN) the same two headers would send every script and style
  // to an https port nobody listens on, and the page would load blank.
  const https = publicUrl.startsWith('https:');
  // Helmet's headers, its middleware built once: @fastify/helmet builds it
  // anew for every request, parsing the CSP each time (a tenth of the CPU of
  // a directory search by SIREN).
  const headers = helmet({
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)));
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
});
