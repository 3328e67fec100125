import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from './errors.js';

// Fastify's own errors, in the words a person at the desk can act on.
const FRAMEWORK_ERRORS: Record<string, DomainError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: new DomainError(400, 'invalid_json', "Le corps de la requête n'est pas un JSON valide."),
  FST_ERR_CTP_EMPTY_JSON_BODY: new DomainError(400, 'invalid_json', 'Le corps de la requête est vide alors qu\'un JSON est attendu.'),
  FST_ERR_CTP_BODY_TOO_LARGE: new DomainError(413, 'body_too_large', 'La requête est trop volumineuse.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new DomainError(415, 'unsupported_media_type', 'Le format de la requête n\'est pas pris en charge : envoyez du JSON.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: new DomainError(400, 'invalid_body', 'La longueur annoncée de la requête ne correspond pas à son contenu.'),
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.code(error.statusCode).send(error.toJSON());
    }
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return reply.code(known.statusCode).send(known.toJSON());
    if (error.statusCode === 429) {
      return reply.code(429).send({ error: 'too_many_requests', message: error.message });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'rejected request');
      return reply.code(error.statusCode).send({ error: 'bad_request', message: 'La requête n\'est pas valide.' });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'internal_error', message: 'Une erreur inattendue est survenue. Réessayez dans quelques instants.' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `Aucune ressource à l'adresse ${request.url.split('?')[0]}.` });
  });
}
