import type { Store } from './store.ts';

interface Job<T> {
	run: (tx: Store) => Promise<T>;
	resolve: (value: T) => void;
	reject: (err: unknown) => void;
}

const waiting = new WeakMap<Store, Job<unknown>[]>();

/**
 * Group commit: the writes asked for in the same turn of the event loop run in one write
 * transaction, each in its own savepoint (a failing one is rolled back alone and rejects only
 * its caller), and are answered after the one COMMIT. With synchronous = FULL every commit
 * waits for an fsync, the floor of a durable write; under load many writes share it. Each write
 * is durable before its promise settles, as with store.transaction().
 */
export function groupCommit<T>(store: Store, run: (tx: Store) => Promise<T>): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let jobs = waiting.get(store);
		if (!jobs) {
			jobs = [];
			waiting.set(store, jobs);
			setImmediate(() => void commitGroup(store));
		}
		jobs.push({ run, resolve, reject } as Job<unknown>);
	});
}

async function commitGroup(store: Store): Promise<void> {
	const jobs = waiting.get(store) ?? [];
	waiting.delete(store);
	const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
	try {
		await store.transaction(async (tx) => {
			for (const job of jobs) {
				try {
					outcomes.push({ ok: true, value: await tx.transaction(job.run) });
				} catch (err) {
					outcomes.push({ ok: false, err });
				}
			}
		});
	} catch (err) {
		for (const job of jobs) job.reject(err);
		return;
	}
	jobs.forEach((job, i) => {
		const outcome = outcomes[i];
		if (outcome.ok) job.resolve(outcome.value);
		else job.reject(outcome.err);
	});
}
