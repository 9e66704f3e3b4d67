import type { Store } from '../db/store.ts';

/** Inserts for the demo seed (org units, users and items go through their own features). */
export function createDemoRepo(db: Store) {
	return {
		countOrgUnits: async () =>
			(await db.get<{ n: number }>('SELECT count(*) AS n FROM org_units'))!.n,
		insertDepartment: async (row: Record<string, unknown>) => {
			await db.run(
				'INSERT INTO departments (id, org_unit_id, code, name, name_en) VALUES (@id, @org_unit_id, @code, @name, @name_en)',
				row
			);
		},
		upsertCategory: async (row: { code: string; name: string }) => {
			await db.run(
				'INSERT INTO service_categories (code, name) VALUES (@code, @name) ON CONFLICT (code) DO UPDATE SET name = excluded.name',
				row
			);
		},
		insertBundle: async (row: Record<string, unknown>) => {
			await db.run(
				'INSERT INTO bundles (id, code, name, description) VALUES (@id, @code, @name, @description)',
				row
			);
		},
		insertSchedule: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO schedules (id, org_unit_id, service_item_id, channel, slot_minutes, capacity, cutoff_minutes, hours, created_at)
		 VALUES (@id, @org_unit_id, @service_item_id, @channel, @slot_minutes, @capacity, @cutoff_minutes, @hours, @created_at)`,
				row
			);
		},
		insertDesk: async (row: Record<string, unknown>) => {
			await db.run(
				'INSERT INTO desks (id, org_unit_id, name, categories, created_at) VALUES (@id, @org_unit_id, @name, @categories, @created_at)',
				row
			);
		}
	};
}
