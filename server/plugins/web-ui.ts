import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** The built web UI (npm run build:web), or a French word on how to build it. */
export const webUi = fp<{ webRoot: string | null }>(async (app, { webRoot }) => {
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      cacheControl: false,
      setHeaders: (res, file) => {
        // Built assets carry a content hash in their name; the page itself must always be fresh.
        res.setHeader('cache-control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
    return;
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send("L'interface web n'est pas construite : lancez « npm run build:web » (ou « npm run serve », qui la construit)."),
  );
});
