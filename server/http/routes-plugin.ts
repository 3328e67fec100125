import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyTypeProvider, RawServerDefault } from 'fastify';
import type { AppContext } from '../context.js';

/**
 * Types each answer by its declared schema (common/api/), so that a handler
 * returning what its schema does not describe fails to compile. Requests
 * keep the types their routes state beside their yup schemas.
 */
export interface AnswerTypeProvider extends FastifyTypeProvider {
  validator: unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

/** A domain's routes, registered by the app with its context. */
export type RoutesPlugin = FastifyPluginAsync<{ ctx: AppContext }, RawServerDefault, AnswerTypeProvider>;
