import { keptUnderTables } from '../db/kept-under-tables.ts';
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { deleteSessionsOf, endStreamsOf } from '../auth/session.ts';
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../auth/password.ts';
import { staffOrgUnits, staffSeesOrgUnit } from '../access/org-units.ts';
import {
	createAccountsRepo,
	type OrgUnitContactRow,
	type OrgUnitRow,
	type UserRow
} from './repo.ts';
import type {
	OrgUnit,
	OrgUnitContact,
	OrgUnitContactInput,
	Preferences,
	StaffCreateInput,
	User,
	StaffMember
} from '../../shared/schemas/auth.ts';

export function toUser(
	row: Pick<UserRow, 'id' | 'role' | 'name' | 'phone' | 'username' | 'org_unit_id'>
): User {
	return {
		id: row.id,
		role: row.role,
		name: row.name,
		phone: row.phone,
		username: row.username,
		orgUnitId: row.org_unit_id
	};
}

/** 13800000001 → 138****0001, for lists where staff need to recognise, not read, a number. */
export function maskPhone(phone: string | null): string | null {
	return phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null;
}

/** 王秀兰 → 王*兰, 李四 → 李*: a person's name where the other party should recognise, not read, it. */
export function maskName(name: string | null): string | null {
	if (!name) return name;
	const chars = [...name];
	if (chars.length <= 1) return name;
	if (chars.length === 2) return `${chars[0]}*`;
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

export function toOrgUnit(row: OrgUnitRow): OrgUnit {
	return { id: row.id, parentId: row.parent_id, level: row.level, code: row.code, name: row.name };
}

/** Which org levels each staff role may belong to. */
const ROLE_LEVELS: Record<StaffCreateInput['role'], readonly OrgUnit['level'][]> = {
	admin: ['city', 'district'],
	supervisor: ['city', 'district', 'township'],
	agent: ['city', 'district'],
	township: ['township', 'community'],
	// 网格员 (issue 23): a grid worker serves one community's residents at home
	grid: ['community']
};

/** Admins manage their own org unit and what lies below it; the CLI (no admin) manages all. */
export async function createStaff(
	deps: Deps,
	input: StaffCreateInput,
	admin: User | null = null
): Promise<User> {
	const repo = createAccountsRepo(deps.store);
	const org = await repo.findOrgUnit(input.orgUnitId);
	if (!org) throw AppError.validation({ orgUnitId: 'no such org unit' });
	if (admin && !(await staffSeesOrgUnit(deps, admin, org.id)))
		throw AppError.validation({ orgUnitId: 'is outside your org unit' });
	if (!ROLE_LEVELS[input.role].includes(org.level))
		throw AppError.validation({
			orgUnitId: `a ${input.role} belongs to a ${ROLE_LEVELS[input.role].join(' or ')} org unit, not a ${org.level}`
		});
	const taken = () =>
		AppError.conflict('username_taken', 'This username is already in use', {
			username: 'is already in use'
		});
	if (await repo.findUserByUsername(input.username)) throw taken();
	const row = {
		id: newId(),
		role: input.role,
		phone: null,
		username: input.username,
		name: input.name,
		password_hash: await hashPassword(input.password),
		org_unit_id: org.id,
		created_at: deps.now()
	};
	const user = toUser(row);
	await deps.store.transaction(async (tx) => {
		// a username taken meanwhile (any case: NOCASE on SQLite, citext on PostgreSQL): the insert
		// runs in a savepoint, since a unique violation aborts a PostgreSQL transaction
		await tx
			.transaction((sp) => createAccountsRepo(sp).insertUser(row))
			.catch((err: unknown) => {
				throw isUniqueViolation(err) ? taken() : err;
			});
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'account.staff_created',
				target: { type: 'user', id: row.id },
				detail: { username: row.username, role: row.role, orgUnitId: row.org_unit_id }
			}
		);
	});
	return user;
}

/** Places an org unit under its parent, with its contact details (the demo seed; not audited). */
export async function addOrgUnit(
	deps: Deps,
	unit: OrgUnit,
	contact?: { address: string | null; phone: string | null; openingHours: string | null }
): Promise<void> {
	const repo = createAccountsRepo(deps.store);
	await repo.insertOrgUnit({
		id: unit.id,
		parent_id: unit.parentId,
		level: unit.level,
		code: unit.code,
		name: unit.name,
		created_at: deps.now()
	});
	if (contact)
		await repo.setOrgUnitContact({
			id: unit.id,
			address: contact.address,
			phone: contact.phone,
			opening_hours: contact.openingHours
		});
}

/**
 * An account whose password the caller hashed (the demo seed hashes its one password once),
 * inside the caller's transaction.
 */
export async function addAccount(deps: Deps, user: User, passwordHash: string): Promise<void> {
	await createAccountsRepo(deps.store).insertUser({
		id: user.id,
		role: user.role,
		phone: user.phone,
		username: user.username,
		name: user.name,
		password_hash: passwordHash,
		org_unit_id: user.orgUnitId,
		created_at: deps.now()
	});
}

export function toStaffMember(row: UserRow): StaffMember {
	return { ...toUser(row), disabled: row.disabled_at !== null };
}

export async function listStaff(deps: Deps): Promise<StaffMember[]> {
	return (await createAccountsRepo(deps.store).listStaff()).map(toStaffMember);
}

/**
 * 停用 / 启用: an admin disables a staff account of their own org unit or below (not their own);
 * every session of it ends at once, and sign-in is refused until it is enabled again.
 */
export async function setStaffDisabled(
	deps: Deps,
	admin: User,
	userId: string,
	disabled: boolean
): Promise<StaffMember> {
	const { member, signedOut } = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAccountsRepo(tx);
		// locked: of two admins changing it at once, the second sees the first's change (one audit)
		const row = await repo.lockUser(userId);
		if (!row || row.role === 'citizen' || !(await staffSeesOrgUnit(txDeps, admin, row.org_unit_id)))
			throw AppError.notFound('Staff account');
		if (row.id === admin.id)
			throw AppError.conflict('own_account', 'You cannot disable your own account');
		const changed = (row.disabled_at !== null) !== disabled;
		if (changed) {
			await repo.setDisabled(row.id, disabled ? deps.now() : null);
			const ended = disabled ? await deleteSessionsOf(txDeps, row.id) : 0;
			await recordAudit(txDeps, {
				action: disabled ? 'account.disabled' : 'account.enabled',
				target: { type: 'user', id: row.id },
				detail: {
					username: row.username,
					role: row.role,
					...(disabled ? { sessionsEnded: ended } : {})
				}
			});
		}
		return {
			member: toStaffMember((await repo.findUserById(row.id))!),
			signedOut: changed && disabled
		};
	});
	// every open stream of the account closes once its sessions are gone for good
	if (signedOut) endStreamsOf(deps, userId);
	return member;
}

export async function listOrgUnits(deps: Deps): Promise<OrgUnit[]> {
	return (await createAccountsRepo(deps.store).listOrgUnits()).map(toOrgUnit);
}

/** These org units (those that exist), by code: a few rows, not every unit of the city. */
export async function orgUnitsIn(deps: Deps, ids: readonly string[]): Promise<OrgUnit[]> {
	return ids.length ? (await createAccountsRepo(deps.store).orgUnitsIn(ids)).map(toOrgUnit) : [];
}

export async function getOrgUnit(deps: Deps, id: string): Promise<OrgUnit | undefined> {
	// shared by every caller: frozen
	return keptUnderTables(deps, ['org_units'], id, async () => {
		const row = await createAccountsRepo(deps.store).findOrgUnit(id);
		return row && Object.freeze(toOrgUnit(row));
	});
}

function toOrgUnitContact(row: OrgUnitContactRow): OrgUnitContact {
	return {
		...toOrgUnit(row),
		address: row.address,
		phone: row.phone,
		openingHours: row.opening_hours
	};
}

/** An org unit with its address, phone and opening hours (for the documents a hall issues). */
export async function getOrgUnitContact(
	deps: Deps,
	id: string
): Promise<OrgUnitContact | undefined> {
	const row = await createAccountsRepo(deps.store).findOrgUnitContact(id);
	return row && toOrgUnitContact(row);
}

/** The org units an admin manages (their own and below), with their contact details. */
export async function listOrgUnitContacts(deps: Deps, admin: User): Promise<OrgUnitContact[]> {
	// the admin's org units read once (staffSeesOrgUnit per row would query per row)
	const own = new Set(await staffOrgUnits(deps, admin));
	return (await createAccountsRepo(deps.store).listOrgUnitContacts())
		.filter((r) => own.has(r.id))
		.map(toOrgUnitContact);
}

/** An admin sets an org unit's address, phone and opening hours (audited with before and after). */
export async function setOrgUnitContact(
	deps: Deps,
	admin: User | null,
	id: string,
	input: OrgUnitContactInput
): Promise<OrgUnitContact> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAccountsRepo(tx);
		const before = await repo.lockOrgUnitContact(id);
		if (!before || (admin && !(await staffSeesOrgUnit(txDeps, admin, id))))
			throw AppError.notFound('Org unit');
		const next = {
			id,
			address: input.address,
			phone: input.phone,
			opening_hours: input.openingHours
		};
		await repo.setOrgUnitContact(next);
		await recordAudit(txDeps, {
			action: 'org_unit.contact_changed',
			target: { type: 'org_unit', id },
			detail: {
				before: {
					address: before.address,
					phone: before.phone,
					openingHours: before.opening_hours
				},
				after: input
			}
		});
		return toOrgUnitContact({ ...before, ...next });
	});
}

/** The user behind a session, while the account exists and is not disabled. */
export async function activeUser(deps: Deps, id: string): Promise<User | null> {
	const row = await createAccountsRepo(deps.store).findUserById(id);
	return row && row.disabled_at === null ? toUser(row) : null;
}

/**
 * As activeUser, with the account's preferences from the same row: a session's check reads both
 * (a page's hook shows the 适老化 mode), in one query rather than the row read twice.
 */
export async function activeUserWithPreferences(
	deps: Deps,
	id: string
): Promise<{ user: User; preferences: Preferences } | null> {
	const row = await createAccountsRepo(deps.store).findUserById(id);
	return row && row.disabled_at === null
		? { user: toUser(row), preferences: preferencesOfRow(row) }
		: null;
}

/** The enabled citizen account of a phone, or null (a proxy grant's grantor: server/proxy). */
export async function activeCitizenByPhone(deps: Deps, phone: string): Promise<User | null> {
	const row = await createAccountsRepo(deps.store).findUserByPhone(phone);
	return row && row.role === 'citizen' && row.disabled_at === null ? toUser(row) : null;
}

/** The account a login names (a citizen's phone or a staff username), with what signing in checks. */
export async function loginAccount(
	deps: Deps,
	login: { kind: 'phone' | 'username'; value: string }
): Promise<{ user: User; passwordHash: string; disabled: boolean } | undefined> {
	const repo = createAccountsRepo(deps.store);
	const row =
		login.kind === 'phone'
			? await repo.findUserByPhone(login.value)
			: await repo.findUserByUsername(login.value);
	return (
		row && {
			user: toUser(row),
			passwordHash: row.password_hash,
			disabled: row.disabled_at !== null
		}
	);
}

/** The signed-in user's own choices (for now: the age-friendly mode). */
export async function preferencesOf(deps: Deps, userId: string): Promise<Preferences> {
	const row = await createAccountsRepo(deps.store).findUserById(userId);
	return row ? preferencesOfRow(row) : { careMode: false };
}

const preferencesOfRow = (row: { care_mode: number }): Preferences => ({
	careMode: row.care_mode === 1
});

/** Remembers the age-friendly mode for the account, so every device it signs in on uses it. */
export async function setPreferences(
	deps: Deps,
	userId: string,
	input: Preferences
): Promise<Preferences> {
	await createAccountsRepo(deps.store).setCareMode(userId, input.careMode);
	return preferencesOf(deps, userId);
}
