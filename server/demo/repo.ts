import type { Db } from '../db/index.ts';

/** Inserts for the demo seed (org units and users go through the accounts repo). */
export function createDemoRepo(db: Db) {
	const orgUnitCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM org_units');
	const orgIdByCode = db.prepare<[string], { id: string }>(
		'SELECT id FROM org_units WHERE code = ?'
	);
	const department = db.prepare(
		'INSERT INTO departments (id, org_unit_id, code, name) VALUES (@id, @org_unit_id, @code, @name)'
	);
	const item = db.prepare(
		`INSERT INTO service_items (id, code, name, department_id, description, fee_fen, time_limit_days,
		   channel_video, channel_onsite, accept_levels, approve_level, created_at)
		 VALUES (@id, @code, @name, @department_id, @description, @fee_fen, @time_limit_days,
		   @channel_video, @channel_onsite, @accept_levels, @approve_level, @created_at)`
	);
	const material = db.prepare(
		`INSERT INTO service_materials (id, service_item_id, position, name, description, required)
		 VALUES (@id, @service_item_id, @position, @name, @description, @required)`
	);
	const desk = db.prepare(
		'INSERT INTO desks (id, org_unit_id, name, created_at) VALUES (@id, @org_unit_id, @name, @created_at)'
	);
	return {
		countOrgUnits: () => orgUnitCount.get()!.n,
		orgUnitIdByCode: (code: string) => orgIdByCode.get(code)?.id,
		insertDepartment: (row: Record<string, unknown>) => void department.run(row),
		insertServiceItem: (row: Record<string, unknown>) => void item.run(row),
		insertMaterial: (row: Record<string, unknown>) => void material.run(row),
		insertDesk: (row: Record<string, unknown>) => void desk.run(row)
	};
}
