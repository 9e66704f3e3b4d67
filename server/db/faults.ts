/**
 * Storage faults: the disk is full, the data folder became read-only, or the device fails.
 * They are not bugs in a request, so they answer 503 `storage_unavailable` (never 500) and
 * make /api/health say so; everything else stays an internal error.
 */
const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;
const FILE_CALLS =
	/^(open|write|read|mkdir|rename|fsync|fdatasync|unlink|copyfile|close|ftruncate|utime|futime|link)$/;
const NODE_STORAGE = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EIO', 'EACCES', 'EPERM']);

/** The error's storage code (e.g. SQLITE_FULL, ENOSPC), or null when it is not a storage fault. */
export function storageFault(err: unknown): string | null {
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code !== 'string') return null;
	if (SQLITE_STORAGE.test(code)) return code;
	// Only file-system calls: a socket's EACCES or EPERM is not the disk's fault.
	const syscall = (err as { syscall?: unknown }).syscall;
	if (NODE_STORAGE.has(code) && typeof syscall === 'string' && FILE_CALLS.test(syscall))
		return code;
	return null;
}
