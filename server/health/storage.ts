import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../deps.ts';
import { isDatabaseFault, storageFault } from '../db/faults.ts';
import { createHealthRepo } from './repo.ts';

export interface StorageState {
	/** the database and the documents folder both accepted a write at the last probe */
	ok: boolean;
	/**
	 * the database accepted its write: on SQLite the same as ok (its file is beside the
	 * documents); on PostgreSQL false only when the server refused or could not be reached
	 */
	databaseOk: boolean;
	checkedAt: number;
	lastWriteAt: number | null;
	freeBytes: number | null;
	totalBytes: number | null;
	/** e.g. SQLITE_FULL, EROFS, ECONNREFUSED: what the last probe or request hit */
	error?: string;
}

/** How often the database and the documents folder are written to while the hall runs. */
export const STORAGE_PROBE_EVERY_MS = 5_000;
/** The probe file, in the folder documents go to (so a read-only or full disk is seen there too). */
const PROBE_FILE = '.health-probe';

interface Monitor {
	state: StorageState;
	timer: ReturnType<typeof setInterval> | null;
	/** requests that hit a storage fault since the burst began (logged once, counted here) */
	suppressed: number;
	/** the probe under way: the timer and a first health request share it instead of overlapping */
	probing: Promise<StorageState> | null;
}

const monitors = new WeakMap<Deps['engine'], Monitor>();

function monitorOf(deps: Deps): Monitor {
	let m = monitors.get(deps.engine);
	if (!m) {
		m = {
			state: {
				ok: false,
				databaseOk: false,
				checkedAt: 0,
				lastWriteAt: null,
				freeBytes: null,
				totalBytes: null
			},
			timer: null,
			suppressed: 0,
			probing: null
		};
		monitors.set(deps.engine, m);
	}
	return m;
}

/** Writes to the folder fsync'd, as an upload would be; throws the file system's error. */
export function writeProbeFile(dir: string): void {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, PROBE_FILE);
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeSync(fd, String(Date.now()));
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function space(dir: string): { freeBytes: number | null; totalBytes: number | null } {
	try {
		const s = fs.statfsSync(dir);
		return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
	} catch {
		return { freeBytes: null, totalBytes: null };
	}
}

/**
 * One probe: a committed row in the database, an fsync'd file beside the documents, free space.
 * The row goes through the store, not the raw connection: it waits for a transaction that is
 * open on the connection (across a rule's awaits) instead of silently joining it, so it is its
 * own commit and a fault it hits never ends someone else's transaction.
 */
export function probeStorage(deps: Deps): Promise<StorageState> {
	const m = monitorOf(deps);
	m.probing ??= probeOnce(deps, m).finally(() => (m.probing = null));
	return m.probing;
}

async function probeOnce(deps: Deps, m: Monitor): Promise<StorageState> {
	const now = Date.now();
	const { dataDir } = deps.config;
	const codeOf = (err: unknown) =>
		storageFault(err) ?? (err instanceof Error ? err.message : String(err));
	let error: string | undefined;
	let databaseWrote = true;
	try {
		await createHealthRepo(deps.store).writeProbe(now, process.pid);
	} catch (err) {
		// closed while the probe waited for the connection: nothing to report any more
		if (!deps.engine.open) return m.state;
		databaseWrote = false;
		error = codeOf(err);
	}
	if (!error && deps.config.databasePath !== ':memory:') {
		try {
			writeProbeFile(path.join(dataDir, 'documents'));
		} catch (err) {
			error = codeOf(err);
		}
	}
	const was = m.state;
	m.state = {
		ok: !error,
		databaseOk: deps.engine.kind === 'sqlite' ? !error : databaseWrote,
		checkedAt: now,
		lastWriteAt: error ? was.lastWriteAt : now,
		...space(dataDir),
		...(error ? { error } : {})
	};
	if (error && (was.ok || !was.checkedAt))
		deps.log('storage fault', { code: error, seenBy: 'probe' });
	if (!error && !was.ok && was.checkedAt) {
		deps.log('storage recovered', { requestsFailedMeanwhile: m.suppressed });
		m.suppressed = 0;
	}
	return m.state;
}

/** Starts the background probe (idempotent); it stops by itself once the database is closed. */
export function watchStorage(deps: Deps, everyMs = STORAGE_PROBE_EVERY_MS): void {
	const m = monitorOf(deps);
	if (m.timer) return;
	m.timer = setInterval(() => {
		if (!deps.engine.open) {
			clearInterval(m.timer!);
			return;
		}
		void probeStorage(deps);
	}, everyMs);
	m.timer.unref();
}

/**
 * The storage state as last probed. The first call probes at once; after that only the timer
 * writes, so no request (an anonymous health check least of all) ever causes an fsync.
 */
export async function storageHealth(deps: Deps): Promise<StorageState> {
	const m = monitorOf(deps);
	watchStorage(deps);
	return m.state.checkedAt ? m.state : probeStorage(deps);
}

/**
 * A request hit a storage fault: health says so at once, and the burst is logged once (without
 * a stack per request) until the probe sees storage write again.
 */
export function reportStorageFault(deps: Deps, code: string, where: string): void {
	const m = monitorOf(deps);
	if (m.state.ok || !m.state.checkedAt) {
		deps.log('storage fault', { code, seenBy: where });
		m.suppressed = 0;
	}
	m.suppressed++;
	m.state = {
		...m.state,
		ok: false,
		// a documents folder's fault leaves a PostgreSQL server as it was
		databaseOk: deps.engine.kind === 'postgres' && !isDatabaseFault(code) && m.state.databaseOk,
		checkedAt: Date.now(),
		error: code,
		...space(deps.config.dataDir)
	};
}
