import { forUpdate, jsonValues } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';
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
	/** proxy: a grantor confirms a proxy grant (server/proxy) */
	purpose: 'register' | 'reset' | 'proxy';
	code_hash: string | null;
	created_at: number;
	expires_at: number;
	attempts: number;
	spent_at: number | null;
}

export function createAccountsRepo(db: Store) {
	// PostgreSQL: the row stays locked until commit, without blocking foreign-key checks of the
	// rows that reference it (FOR NO KEY UPDATE); SQLite's BEGIN IMMEDIATE already holds the lock
	const lockRow = db.dialect === 'postgres' ? ' FOR NO KEY UPDATE' : '';
	const run = async (sql: string, params?: Parameters<Store['run']>[1]) => {
		await db.run(sql, params);
	};
	return {
		findUserById: (id: string) => db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]),
		/** The user row, locked until the transaction commits (a change read before it is made). */
		lockUser: (id: string) => db.get<UserRow>(`SELECT * FROM users WHERE id = ?${lockRow}`, [id]),
		findUserByPhone: (phone: string) =>
			db.get<UserRow>('SELECT * FROM users WHERE phone = ?', [phone]),
		findUserByUsername: (username: string) =>
			db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]),
		insertUser: (row: Omit<UserRow, 'disabled_at' | 'care_mode'>) =>
			run(
				`INSERT INTO users (id, role, phone, username, name, password_hash, org_unit_id, created_at)
		 VALUES (@id, @role, @phone, @username, @name, @password_hash, @org_unit_id, @created_at)`,
				row
			),
		/** 部门: the department a staff member works in, or null (综合窗口: their whole area). */
		departmentOf: async (id: string) =>
			(
				await db.get<{ department_id: string | null }>(
					'SELECT department_id FROM users WHERE id = ?',
					[id]
				)
			)?.department_id ?? null,
		setDepartment: (id: string, departmentId: string | null) =>
			run('UPDATE users SET department_id = ? WHERE id = ?', [departmentId, id]),
		findDepartment: (id: string) =>
			db.get<{ id: string; org_unit_id: string; name: string }>(
				'SELECT id, org_unit_id, name FROM departments WHERE id = ?',
				[id]
			),
		setCareMode: (id: string, on: boolean) =>
			run('UPDATE users SET care_mode = ? WHERE id = ?', [on ? 1 : 0, id]),
		setPassword: (id: string, passwordHash: string) =>
			run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, id]),
		insertPhoneCode: (row: Omit<PhoneCodeRow, 'attempts' | 'spent_at'>) =>
			run(
				`INSERT INTO phone_codes (id, phone, purpose, code_hash, created_at, expires_at)
		 VALUES (@id, @phone, @purpose, @code_hash, @created_at, @expires_at)`,
				row
			),
		/** How many messages went to a phone since a time (all purposes: the hourly limit). */
		phoneCodesSince: async (phone: string, since: number) =>
			(await db.get<{ n: number }>(
				'SELECT count(*) AS n FROM phone_codes WHERE phone = ? AND created_at > ?',
				[phone, since]
			))!,
		lastPhoneCodeAt: async (phone: string, purpose: PhoneCodeRow['purpose']) =>
			(await db.get<{ last: number | null }>(
				'SELECT max(created_at) AS last FROM phone_codes WHERE phone = ? AND purpose = ?',
				[phone, purpose]
			))!.last,
		/**
		 * The open code of a phone for a purpose (a new code spends the older ones, so there is at
		 * most one), locked until commit on PostgreSQL: its attempts are counted one at a time.
		 */
		latestPhoneCode: (phone: string, purpose: PhoneCodeRow['purpose']) =>
			db.get<PhoneCodeRow>(
				`SELECT * FROM phone_codes WHERE phone = ? AND purpose = ? AND spent_at IS NULL
		 ORDER BY created_at DESC, id DESC LIMIT 1${forUpdate(db)}`,
				[phone, purpose]
			),
		/** Spends every open code of a phone for a purpose (a new one replaces them). */
		spendPhoneCodes: (phone: string, purpose: PhoneCodeRow['purpose'], at: number) =>
			run(
				'UPDATE phone_codes SET spent_at = ? WHERE phone = ? AND purpose = ? AND spent_at IS NULL',
				[at, phone, purpose]
			),
		/** True when this call spent it (one registration per code, even at once). */
		spendPhoneCode: async (id: string, at: number) =>
			(
				await db.run('UPDATE phone_codes SET spent_at = ? WHERE id = ? AND spent_at IS NULL', [
					at,
					id
				])
			).changes === 1,
		countPhoneCodeAttempt: (id: string) =>
			run('UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ?', [id]),
		prunePhoneCodes: async (before: number) =>
			(await db.run('DELETE FROM phone_codes WHERE created_at < ?', [before])).changes,
		setDisabled: (id: string, at: number | null) =>
			run('UPDATE users SET disabled_at = ? WHERE id = ?', [at, id]),
		listStaff: () =>
			db.all<UserRow>(
				"SELECT * FROM users WHERE role <> 'citizen' ORDER BY org_unit_id, role, username"
			),
		findOrgUnit: (id: string) =>
			db.get<OrgUnitRow>('SELECT id, parent_id, level, code, name FROM org_units WHERE id = ?', [
				id
			]),
		listOrgUnits: () =>
			db.all<OrgUnitRow>('SELECT id, parent_id, level, code, name FROM org_units ORDER BY code'),
		orgUnitsIn: (ids: readonly string[]) =>
			db.all<OrgUnitRow>(
				`SELECT id, parent_id, level, code, name FROM org_units WHERE id IN (${jsonValues(db)}) ORDER BY code`,
				[JSON.stringify(ids)]
			),
		findOrgUnitContact: (id: string) =>
			db.get<OrgUnitContactRow>(
				'SELECT id, parent_id, level, code, name, address, phone, opening_hours FROM org_units WHERE id = ?',
				[id]
			),
		/** As findOrgUnitContact, the row locked until commit (the audit's "before" stays true). */
		lockOrgUnitContact: (id: string) =>
			db.get<OrgUnitContactRow>(
				`SELECT id, parent_id, level, code, name, address, phone, opening_hours FROM org_units WHERE id = ?${lockRow}`,
				[id]
			),
		listOrgUnitContacts: () =>
			db.all<OrgUnitContactRow>(
				'SELECT id, parent_id, level, code, name, address, phone, opening_hours FROM org_units ORDER BY code'
			),
		setOrgUnitContact: (row: {
			id: string;
			address: string | null;
			phone: string | null;
			opening_hours: string | null;
		}) =>
			run(
				'UPDATE org_units SET address = @address, phone = @phone, opening_hours = @opening_hours WHERE id = @id',
				row
			),
		insertOrgUnit: (row: OrgUnitRow & { created_at: number }) =>
			run(
				`INSERT INTO org_units (id, parent_id, level, code, name, created_at)
		 VALUES (@id, @parent_id, @level, @code, @name, @created_at)`,
				{ ...row }
			)
	};
}
