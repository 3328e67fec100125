// The desktop app keeps its session token itself (in memory, or in the OS
// keychain when the agent asks to stay signed in) and sends it as a bearer
// token, which the service accepts on every route. It asks for the token at
// sign-in with this header.

/** On POST /api/session: "bearer" asks for the session token in the answer. */
export const SESSION_TRANSPORT_HEADER = 'X-Guichet-Session-Transport';

/** The answer to a sign-in that sent SESSION_TRANSPORT_HEADER: bearer. */
export type { BearerSignInResponse } from './contracts.js';
