import { perConnection, type Db } from '../db/index.ts';
import type { OrgLevel, Role } from '../../shared/roles.ts';

export interface UserRow {
	id: string;
	role: Role;
	phone: string | null;
	username: string | null;
	name: string;
	password_hash: string;
	org_unit_id: string | null;
	created_at: number;
	disabled_at: number | null;
}

export interface OrgUnitRow {
	id: string;
	parent_id: string | null;
	level: OrgLevel;
	code: string;
	name: string;
}

export interface OrgUnitContactRow extends OrgUnitRow {
	address: string | null;
	phone: string | null;
	opening_hours: string | null;
}

export const createAccountsRepo = perConnection((db: Db) => {
	const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
	const byPhone = db.prepare<[string], UserRow>('SELECT * FROM users WHERE phone = ?');
	const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
	const insert = db.prepare(
		`INSERT INTO users (id, role, phone, username, name, password_hash, org_unit_id, created_at)
		 VALUES (@id, @role, @phone, @username, @name, @password_hash, @org_unit_id, @created_at)`
	);
	const setDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?');
	const staff = db.prepare<[], UserRow>(
		"SELECT * FROM users WHERE role <> 'citizen' ORDER BY org_unit_id, role, username"
	);
	const orgUnit = db.prepare<[string], OrgUnitRow>(
		'SELECT id, parent_id, level, code, name FROM org_units WHERE id = ?'
	);
	const orgUnits = db.prepare<[], OrgUnitRow>(
		'SELECT id, parent_id, level, code, name FROM org_units ORDER BY code'
	);
	const orgUnitContact = db.prepare<[string], OrgUnitContactRow>(
		'SELECT id, parent_id, level, code, name, address, phone, opening_hours FROM org_units WHERE id = ?'
	);
	const orgUnitContacts = db.prepare<[], OrgUnitContactRow>(
		'SELECT id, parent_id, level, code, name, address, phone, opening_hours FROM org_units ORDER BY code'
	);
	const setContact = db.prepare(
		'UPDATE org_units SET address = @address, phone = @phone, opening_hours = @opening_hours WHERE id = @id'
	);
	const insertOrgUnit = db.prepare(
		`INSERT INTO org_units (id, parent_id, level, code, name, created_at)
		 VALUES (@id, @parent_id, @level, @code, @name, @created_at)`
	);

	return {
		findUserById: (id: string) => byId.get(id),
		findUserByPhone: (phone: string) => byPhone.get(phone),
		findUserByUsername: (username: string) => byUsername.get(username),
		insertUser: (row: Omit<UserRow, 'disabled_at'>) => void insert.run(row),
		setDisabled: (id: string, at: number | null) => void setDisabled.run(at, id),
		listStaff: () => staff.all(),
		findOrgUnit: (id: string) => orgUnit.get(id),
		listOrgUnits: () => orgUnits.all(),
		findOrgUnitContact: (id: string) => orgUnitContact.get(id),
		listOrgUnitContacts: () => orgUnitContacts.all(),
		setOrgUnitContact: (row: {
			id: string;
			address: string | null;
			phone: string | null;
			opening_hours: string | null;
		}) => void setContact.run(row),
		insertOrgUnit: (row: OrgUnitRow & { created_at: number }) => void insertOrgUnit.run(row)
	};
});
