/** True when a write broke a unique constraint, on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = String((error as { code: unknown }).code);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// SQLite: another connection holds the write lock past the busy timeout.
// PostgreSQL: a lock wait past lock_timeout, or a server that cannot take
// the connection now (starting, shutting down, out of connection slots).
const UNAVAILABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED', '55P03', '57P01', '57P03', '53300', 'ECONNREFUSED']);

/** True when the database could not serve the statement for now: the same request later may well succeed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return UNAVAILABLE_CODES.has(String((error as { code: unknown }).code));
}
