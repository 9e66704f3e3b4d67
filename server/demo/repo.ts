import { perConnection, type Db } from '../db/index.ts';

/** Inserts for the demo seed (org units, users and items go through their own features). */
export const createDemoRepo = perConnection((db: Db) => {
	const orgUnitCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM org_units');
	const department = db.prepare(
		'INSERT INTO departments (id, org_unit_id, code, name) VALUES (@id, @org_unit_id, @code, @name)'
	);
	const category = db.prepare(
		'INSERT INTO service_categories (code, name) VALUES (@code, @name) ON CONFLICT (code) DO UPDATE SET name = excluded.name'
	);
	const bundle = db.prepare(
		'INSERT INTO bundles (id, code, name, description) VALUES (@id, @code, @name, @description)'
	);
	const schedule = db.prepare(
		`INSERT INTO schedules (id, org_unit_id, service_item_id, channel, slot_minutes, capacity, cutoff_minutes, hours, created_at)
		 VALUES (@id, @org_unit_id, @service_item_id, @channel, @slot_minutes, @capacity, @cutoff_minutes, @hours, @created_at)`
	);
	const desk = db.prepare(
		'INSERT INTO desks (id, org_unit_id, name, categories, created_at) VALUES (@id, @org_unit_id, @name, @categories, @created_at)'
	);
	return {
		countOrgUnits: () => orgUnitCount.get()!.n,
		insertDepartment: (row: Record<string, unknown>) => void department.run(row),
		upsertCategory: (row: { code: string; name: string }) => void category.run(row),
		insertBundle: (row: Record<string, unknown>) => void bundle.run(row),
		insertSchedule: (row: Record<string, unknown>) => void schedule.run(row),
		insertDesk: (row: Record<string, unknown>) => void desk.run(row)
	};
});
