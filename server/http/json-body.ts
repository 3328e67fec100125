import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/domain-error.js';

/** Deeper than any body of the API (three levels), far shallower than what walks it recursively can bear. */
export const MAX_JSON_DEPTH = 32;

export const JSON_TOO_DEEP = new DomainError('json_too_deep', `Le corps de la requête est trop imbriqué : ${MAX_JSON_DEPTH} niveaux au plus.`);

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the JSON text nests arrays and objects deeper than the limit; one pass, no recursion. */
export function nestedTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * The API reads JSON and nothing else: Fastify's own JSON parser (with its
 * prototype-poisoning guards) behind a depth check, and no text/plain parser.
 * Another site's page can send text/plain or a form without asking; JSON
 * needs the service's consent first (CORS), which it never gives. Any other
 * body is answered 415.
 */
export function installJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (nestedTooDeep(text)) {
      done(JSON_TOO_DEEP, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
