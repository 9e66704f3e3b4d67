import { immediate, type Db } from './index.ts';

interface Job<T> {
	run: () => T;
	resolve: (value: T) => void;
	reject: (err: unknown) => void;
}

const waiting = new WeakMap<Db, Job<unknown>[]>();

/**
 * Group commit: the writes asked for in the same turn of the event loop run in one
 * BEGIN IMMEDIATE transaction, each in its own savepoint (a failing one is rolled back alone
 * and rejects only its caller), and are answered after the one COMMIT. With synchronous = FULL
 * every commit waits for an fsync, the floor of a durable write; under load many writes share
 * it. Each write is durable before its promise settles, as with immediate().
 */
export function groupCommit<T>(db: Db, run: () => T): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let jobs = waiting.get(db);
		if (!jobs) {
			jobs = [];
			waiting.set(db, jobs);
			setImmediate(() => commitGroup(db));
		}
		jobs.push({ run, resolve, reject } as Job<unknown>);
	});
}

function commitGroup(db: Db): void {
	const jobs = waiting.get(db) ?? [];
	waiting.delete(db);
	const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
	try {
		immediate(db, () => {
			for (const job of jobs) {
				try {
					// nested in the open transaction: better-sqlite3 runs it in a savepoint
					outcomes.push({ ok: true, value: db.transaction(job.run)() });
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
