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
	care_mode: number;
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

export interface PhoneCodeRow {
	id: string;
	phone: string;
	purpose: 'register' | 'reset';
	code_hash: string | null;
	created_at: number;
	expires_at: number;
	attempts: number;
	spent_at: number | null;
}

export const createAccountsRepo = perConnection((db: Db) => {
	const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
	const byPhone = db.prepare<[string], UserRow>('SELECT * FROM users WHERE phone = ?');
	const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
	const insert = db.prepare(
		`INSERT INTO users (id, role, phone, username, name, password_hash, org_unit_id, created_at)
		 VALUES (@id, @role, @phone, @username, @name, @password_hash, @org_unit_id, @created_at)`
	);
	const setCareMode = db.prepare('UPDATE users SET care_mode = ? WHERE id = ?');
	const setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
	const insertPhoneCode = db.prepare(
		`INSERT INTO phone_codes (id, phone, purpose, code_hash, created_at, expires_at)
		 VALUES (@id, @phone, @purpose, @code_hash, @created_at, @expires_at)`
	);
	const phoneCodesSince = db.prepare<[string, number], { n: number }>(
		'SELECT count(*) AS n FROM phone_codes WHERE phone = ? AND created_at > ?'
	);
	const lastPhoneCodeAt = db.prepare<[string, string], { last: number | null }>(
		'SELECT max(created_at) AS last FROM phone_codes WHERE phone = ? AND purpose = ?'
	);
	const latestPhoneCode = db.prepare<[string, string], PhoneCodeRow>(
		`SELECT * FROM phone_codes WHERE phone = ? AND purpose = ? AND spent_at IS NULL
		 ORDER BY created_at DESC, rowid DESC LIMIT 1`
	);
	const spendPhoneCodes = db.prepare(
		'UPDATE phone_codes SET spent_at = ? WHERE phone = ? AND purpose = ? AND spent_at IS NULL'
	);
	const spendPhoneCode = db.prepare(
		'UPDATE phone_codes SET spent_at = ? WHERE id = ? AND spent_at IS NULL'
	);
	const countAttempt = db.prepare('UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ?');
	const prunePhoneCodes = db.prepare('DELETE FROM phone_codes WHERE created_at < ?');
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
		insertUser: (row: Omit<UserRow, 'disabled_at' | 'care_mode'>) => void insert.run(row),
		setCareMode: (id: string, on: boolean) => void setCareMode.run(on ? 1 : 0, id),
		setPassword: (id: string, passwordHash: string) => void setPassword.run(passwordHash, id),
		insertPhoneCode: (row: Omit<PhoneCodeRow, 'attempts' | 'spent_at'>) =>
			void insertPhoneCode.run(row),
		/** How many messages went to a phone since a time (all purposes: the hourly limit). */
		phoneCodesSince: (phone: string, since: number) => phoneCodesSince.get(phone, since)!,
		lastPhoneCodeAt: (phone: string, purpose: PhoneCodeRow['purpose']) =>
			lastPhoneCodeAt.get(phone, purpose)!.last,
		latestPhoneCode: (phone: string, purpose: PhoneCodeRow['purpose']) =>
			latestPhoneCode.get(phone, purpose),
		/** Spends every open code of a phone for a purpose (a new one replaces them). */
		spendPhoneCodes: (phone: string, purpose: PhoneCodeRow['purpose'], at: number) =>
			void spendPhoneCodes.run(at, phone, purpose),
		/** True when this call spent it (one registration per code, even at once). */
		spendPhoneCode: (id: string, at: number) => spendPhoneCode.run(at, id).changes === 1,
		countPhoneCodeAttempt: (id: string) => void countAttempt.run(id),
		prunePhoneCodes: (before: number) => prunePhoneCodes.run(before).changes,
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
