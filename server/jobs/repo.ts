// The SQL of the background loop's leases (./leases.ts): the table job_leases.
import type { Store } from '../db/store.ts';

export function createJobsRepo(db: Store) {
	return {
		/** one conditional upsert: taken when free, expired or already this holder's */
		takeLease: async (name: string, holder: string, now: number, until: number) =>
			(
				await db.run(
					`INSERT INTO job_leases (name, holder, lease_until) VALUES (?, ?, ?)
					 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
					 WHERE job_leases.lease_until <= ? OR job_leases.holder = excluded.holder`,
					[name, holder, until, now]
				)
			).changes === 1,
		releaseLease: async (name: string, holder: string) => {
			await db.run('UPDATE job_leases SET lease_until = 0 WHERE name = ? AND holder = ?', [
				name,
				holder
			]);
		}
	};
}
