import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../common/api/errors.js';
import { isDatabaseUnavailable, isStorageFull } from '../db/errors.js';
import { ERROR_STATUS } from './errors.js';
import { DomainError } from '../shared/domain-error.js';

// Fastify's own errors, in the words a person at the desk can act on.
const FRAMEWORK_ERRORS: Record<string, DomainError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: new DomainError('invalid_json', "Le corps de la requête n'est pas un JSON valide."),
  FST_ERR_CTP_EMPTY_JSON_BODY: new DomainError('invalid_json', 'Le corps de la requête est vide alors qu\'un JSON est attendu.'),
  FST_ERR_CTP_BODY_TOO_LARGE: new DomainError('body_too_large', 'La requête est trop volumineuse.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new DomainError('unsupported_media_type', 'Le format de la requête n\'est pas pris en charge : envoyez du JSON.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: new DomainError('invalid_body', 'La longueur annoncée de la requête ne correspond pas à son contenu.'),
  FST_ERR_BAD_URL: new DomainError('invalid_url', "L'adresse demandée n'est pas valide."),
  FST_ERR_MAX_PARAM_LENGTH: new DomainError('url_too_long', "L'adresse demandée est trop longue."),
};

const BAD_REQUEST = new DomainError('bad_request', "La requête n'est pas valide.");

/**
 * Errors Fastify meets before any route is chosen (a URL that does not
 * decode, a path segment over 100 characters): without this they would be
 * answered in Fastify's own English words.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendDomainError(reply, FRAMEWORK_ERRORS[error.code] ?? BAD_REQUEST);
}

/** Seconds a client is asked to wait when the database is busy: a few lock timeouts' worth of other work. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** A full disk is freed by a person, not in seconds. */
export const STORAGE_RETRY_AFTER_SECONDS = 300;

export const DATABASE_BUSY = new DomainError(
  'service_busy',
  'Le service est momentanément surchargé et n\'a pas pu traiter votre demande. Réessayez dans quelques secondes.',
);

export const STORAGE_FULL = new DomainError(
  'storage_full',
  "Le service ne peut plus rien enregistrer : l'espace de stockage de sa base de données est plein. Votre demande n'a pas été enregistrée ; réessayez plus tard. Les administrateurs en sont avertis par le journal du service.",
);

function sendDomainError(reply: FastifyReply, error: DomainError): FastifyReply {
  return reply.code(ERROR_STATUS[error.code]).send(error.toJSON());
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return sendDomainError(reply, error);
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return sendDomainError(reply, known);
    if (error.statusCode === 429) {
      return reply.code(429).send({ error: 'too_many_requests', message: error.message } satisfies ApiError);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'rejected request');
      return reply.code(error.statusCode).send(BAD_REQUEST.toJSON());
    }
    if (isStorageFull(error)) {
      request.log.error({ err: error }, 'database storage full: free space on the database disk');
      return sendDomainError(reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS)), STORAGE_FULL);
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database busy or unavailable');
      return sendDomainError(reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS)), DATABASE_BUSY);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'internal_error', message: 'Une erreur inattendue est survenue. Réessayez dans quelques instants.' } satisfies ApiError);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `Aucune ressource à l'adresse ${request.url.split('?')[0]}.` } satisfies ApiError);
  });
}
