// The background loop every app node runs (issue 22, item 2). Sweeps run under a lease, so one
// node at a time does each (server/jobs/leases.ts); notices are claimed one by one, so all nodes
// share the sending (server/notify/outbox.ts). Each job fails on its own: a LiveKit outage stops
// the reconciliation, not the reminders.
import type { Deps } from '../deps.ts';
import { escalateWaitingGuidance } from '../collab/guidance.ts';
import { cancelTicketsAtClosing } from '../queue/closing.ts';
import { pruneAudit } from '../audit/audit.ts';
import { prunePhoneCodes } from '../accounts/phone-codes.ts';
import { deliverDueNotifications } from '../notify/outbox.ts';
import { pruneIdempotencyKeys } from '../http/idempotency.ts';
import { reconcileVideoSessions } from '../video/reconcile.ts';
import { THIS_NODE, withLease } from './leases.ts';

export const TICK_MS = 15_000;
/** A sweep's lease: longer than any sweep takes; a dead node's sweep is taken over after it. */
export const SWEEP_LEASE_MS = 2 * 60_000;

interface Job {
	name: string;
	/** true: under a lease (one node at a time); false: every node, each item claimed */
	leased: boolean;
	run(deps: Deps, node: string): Promise<unknown>;
}

export const JOBS: Job[] = [
	{ name: 'guidance-escalation', leased: true, run: (deps) => escalateWaitingGuidance(deps) },
	{ name: 'closing-sweep', leased: true, run: (deps) => cancelTicketsAtClosing(deps) },
	{ name: 'audit-retention', leased: true, run: (deps) => pruneAudit(deps) },
	{ name: 'phone-code-prune', leased: true, run: (deps) => prunePhoneCodes(deps) },
	{ name: 'idempotency-key-prune', leased: true, run: (deps) => pruneIdempotencyKeys(deps) },
	// webhooks are not guaranteed: what LiveKit says against what the sessions recorded
	{
		name: 'livekit-reconciliation',
		leased: true,
		run: (deps) => (deps.livekit ? reconcileVideoSessions(deps) : Promise.resolve(null))
	},
	{
		name: 'notifications',
		leased: false,
		run: (deps, node) => deliverDueNotifications(deps, { node })
	}
];

/** One round of every job, as this node (tests pass a node name to stand for another node). */
export async function runBackgroundJobs(deps: Deps, node = THIS_NODE): Promise<void> {
	for (const job of JOBS) {
		// the node is stopping (its database closed under a round still running): leave it there
		if (!deps.engine.open) return;
		try {
			if (job.leased)
				await withLease(deps, `job:${job.name}`, SWEEP_LEASE_MS, () => job.run(deps, node), node);
			else await job.run(deps, node);
		} catch (err) {
			deps.log('background job failed', { job: job.name, error: (err as Error).message });
		}
	}
}

/** Every TICK_MS on this node; a round still running when the next is due is not doubled. */
export function startBackgroundWork(deps: Deps, everyMs = TICK_MS): () => void {
	let running = false;
	const tick = async () => {
		if (running || !deps.engine.open) return;
		running = true;
		try {
			await runBackgroundJobs(deps);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(() => void tick(), everyMs);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}
