// Background work once across app nodes (issue 22, item 2). Every node runs the background loop
// (server/jobs/background.ts); a sweep runs where its lease is held. The lease is a row in
// job_leases taken with one conditional upsert (free, expired, or already ours), so two nodes
// cannot both hold it, on SQLite or PostgreSQL. It is given back when the sweep ends; a node
// that dies holding it leaves it to expire, and the next node's tick takes the work over.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { createJobsRepo } from './repo.ts';

/** This process, as lease holders and notice claims name it: host, pid and a random part. */
export const THIS_NODE = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 6)}`;

interface LeaseDeps {
	store: Store;
	now(): number;
}

/** Takes the lease `name` for ttlMs when it is free, expired or ours already; false otherwise. */
export async function takeLease(
	deps: LeaseDeps,
	name: string,
	ttlMs: number,
	holder = THIS_NODE
): Promise<boolean> {
	const now = deps.now();
	return createJobsRepo(deps.store).takeLease(name, holder, now, now + ttlMs);
}

/** Gives the lease back (only if still ours), so any node's next tick may run the sweep. */
export async function releaseLease(
	deps: LeaseDeps,
	name: string,
	holder = THIS_NODE
): Promise<void> {
	await createJobsRepo(deps.store).releaseLease(name, holder);
}

/**
 * Runs fn under the lease `name`: not at all when another node holds it (null), otherwise fn's
 * result. ttlMs must outlast the sweep: a lease that expires mid-sweep lets a second node in
 * (harmless for these sweeps, which change each row conditionally, but wasted work).
 */
export async function withLease<T>(
	deps: LeaseDeps,
	name: string,
	ttlMs: number,
	fn: () => Promise<T>,
	holder = THIS_NODE
): Promise<T | null> {
	if (!(await takeLease(deps, name, ttlMs, holder))) return null;
	try {
		return await fn();
	} finally {
		await releaseLease(deps, name, holder).catch(() => {});
	}
}
