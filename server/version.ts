/** The service's version, as /api/health and the OpenAPI document give it. */
export const VERSION = '0.1.0';
