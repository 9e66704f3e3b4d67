/**
 * Storage faults: the disk is full, the data folder became read-only, or the device fails; on
 * PostgreSQL also the database server cannot be reached (refused, dropped, shutting down). They
 * are not bugs in a request, so they answer 503 `storage_unavailable` (never 500) and make
 * /api/health say so; everything else stays an internal error.
 */
const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;
const FILE_CALLS =
	/^(open|write|read|mkdir|rename|fsync|fdatasync|unlink|copyfile|close|ftruncate|utime|futime|link)$/;
const NODE_STORAGE = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EIO', 'EACCES', 'EPERM']);

/**
 * PostgreSQL's SQLSTATEs for a server that cannot serve: class 08 (connection exception: 08001
 * cannot connect, 08006 connection failure…), 57P01-57P03 (shut down by an administrator,
 * crashed, not yet accepting connections); and its own storage: 53100 disk_full, 58030 io_error,
 * 25006 a read-only transaction (a standby after a failover).
 */
const POSTGRES_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[123])$/;
const POSTGRES_STORAGE = new Set(['53100', '58030', '25006']);
/** The socket to the database server: refused, reset, unreachable, or its name does not resolve. */
const NETWORK = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE'
]);
/** node-postgres's own errors for a connection that ended or never came (they carry no code). */
const POOL_CONNECTION =
	/^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$/;
/** The SQLSTATE said for the pool's connection errors (connection_failure). */
const CONNECTION_FAILURE = '08006';

/**
 * The error's storage code (e.g. SQLITE_FULL, ENOSPC, ECONNREFUSED, 57P01), or null when it is
 * not a storage fault.
 */
export function storageFault(err: unknown): string | null {
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code !== 'string') {
		const message = (err as { message?: unknown } | null)?.message;
		return typeof message === 'string' && POOL_CONNECTION.test(message) ? CONNECTION_FAILURE : null;
	}
	if (SQLITE_STORAGE.test(code)) return code;
	if (POSTGRES_UNAVAILABLE.test(code) || POSTGRES_STORAGE.has(code) || NETWORK.has(code))
		return code;
	// Only file-system calls: a socket's EACCES or EPERM is not the disk's fault.
	const syscall = (err as { syscall?: unknown }).syscall;
	if (NODE_STORAGE.has(code) && typeof syscall === 'string' && FILE_CALLS.test(syscall))
		return code;
	return null;
}

/** A storage code (from storageFault) that says the database server cannot be reached. */
export function isDatabaseUnreachable(code: string): boolean {
	return POSTGRES_UNAVAILABLE.test(code) || NETWORK.has(code);
}

/**
 * A storage code that is the database's own (it refused or could not take a write), as opposed
 * to the documents folder's: every SQLite and PostgreSQL code and an unreachable server.
 */
export function isDatabaseFault(code: string): boolean {
	return SQLITE_STORAGE.test(code) || POSTGRES_STORAGE.has(code) || isDatabaseUnreachable(code);
}
