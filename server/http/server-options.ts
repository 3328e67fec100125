import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { frameworkErrors } from './error-handler.js';

/**
 * Each request is logged with its method, its path without the query string
 * (staff searches carry names and emails there, directory searches what an
 * applicant typed) and the client's address; never its body, cookies or
 * other headers. No route takes a secret in its path.
 */
function privateRequestLog(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const settings = logger === true ? {} : logger;
  return {
    ...settings,
    serializers: {
      ...settings.serializers,
      req: (request: FastifyRequest) => ({ method: request.method, url: request.url.split('?', 1)[0], remoteAddress: request.ip }),
    },
  };
}

/** Fastify's form of TRUST_PROXY: a count of hops becomes "the first n hops". */
function trustedProxies({ trustProxy }: Config): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trustProxy === 'number' ? (_address, hop) => hop < trustProxy : trustProxy;
}

/** The HTTP server's settings: logging, body size, proxies and timeouts. */
export function serverOptions(config: Config, logger: FastifyServerOptions['logger']): FastifyHttpOptions<Server> {
  return {
    logger: privateRequestLog(logger ?? { level: config.logLevel }),
    bodyLimit: 64 * 1024,
    frameworkErrors,
    trustProxy: trustedProxies(config),
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Node checks for late requests every 30 s by default: a 30 s timeout could then let one run a minute.
    http: { headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs / 10) },
  };
}
