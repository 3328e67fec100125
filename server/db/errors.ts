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

// The disk under the database is full or refuses writes: SQLite reports it
// as such (or as a failed write, EFBIG/ENOSPC underneath), PostgreSQL as
// disk_full. Nothing the client can change: an operator must free space.
const STORAGE_FULL_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_IOERR_FSYNC', '53100']);

/** True when the database's storage cannot take more writes. */
export function isStorageFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return STORAGE_FULL_CODES.has(String((error as { code: unknown }).code));
}

/** True when the database could not serve the statement for now: the same request later may well succeed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return UNAVAILABLE_CODES.has(String((error as { code: unknown }).code));
}
