// A citizen's own account: registering a phone they hold, and getting back in by SMS when the
// password is forgotten. Both prove the phone with a code from ./phone-codes.ts.
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { recordAudit } from '../audit/audit.ts';
import { currentActor } from '../audit/context.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../auth/password.ts';
import { deleteSessionsOf, endStreamsOf } from '../auth/session.ts';
import { checkHourlyLimit, clearLoginFailures } from '../auth/throttle.ts';
import type { PasswordResetInput, RegisterInput, User } from '../../shared/schemas/auth.ts';
import { createAccountsRepo } from './repo.ts';
import { toUser } from './accounts.ts';
import { checkPhoneCode, invalidCode, spendPhoneCode } from './phone-codes.ts';

/**
 * Registers the phone whose SMS code is given. A phone that already has an account never got
 * a code (its SMS said so instead), so it fails exactly like a wrong code: the answer does not
 * tell anyone which numbers are registered.
 */
export async function registerCitizen(deps: Deps, input: RegisterInput, ip: string): Promise<User> {
	await checkHourlyLimit(
		deps,
		`register:ip:${ip}`,
		deps.config.sms.registerPerIpPerHour,
		'Too many registrations from this address; try again later'
	);
	const code = await checkPhoneCode(deps, input.phone, 'register', input.code);
	const passwordHash = await hashPassword(input.password);
	const row = {
		id: newId(),
		role: 'citizen' as const,
		phone: input.phone,
		username: null,
		name: input.name,
		password_hash: passwordHash,
		org_unit_id: null,
		created_at: deps.now()
	};
	const user = toUser(row);
	await deps.store.transaction(async (tx) => {
		// one account per code, even when the form is sent twice at once
		if (!(await spendPhoneCode({ ...deps, store: tx }, code.id))) throw invalidCode();
		// a phone registered meanwhile fails as a wrong code; the insert runs in a savepoint, since
		// a unique violation aborts a PostgreSQL transaction
		await tx
			.transaction((sp) => createAccountsRepo(sp).insertUser(row))
			.catch((err: unknown) => {
				throw isUniqueViolation(err) ? invalidCode() : err;
			});
		const actor = currentActor();
		await recordAudit(
			{ ...deps, store: tx },
			{ action: 'account.registered', target: { type: 'user', id: row.id } },
			{ user: actor.user ?? user, ip: actor.ip }
		);
	});
	return user;
}

/**
 * 忘记密码: a new password for the account of the phone whose reset code is given. Every session
 * of the account ends (a thief signed in elsewhere is out) and a lock from wrong passwords is
 * lifted; the caller signs the citizen in afresh.
 */
export async function resetPassword(deps: Deps, input: PasswordResetInput): Promise<User> {
	const code = await checkPhoneCode(deps, input.phone, 'reset', input.code);
	const passwordHash = await hashPassword(input.password);
	const user = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAccountsRepo(tx);
		const row = await repo.findUserByPhone(input.phone);
		if (!(await spendPhoneCode(txDeps, code.id)) || !row || row.disabled_at !== null)
			throw invalidCode();
		await repo.setPassword(row.id, passwordHash);
		const ended = await deleteSessionsOf(txDeps, row.id);
		await clearLoginFailures(txDeps, input.phone);
		const user = toUser(row);
		await recordAudit(
			txDeps,
			{
				action: 'account.password_reset',
				target: { type: 'user', id: row.id },
				detail: { sessionsEnded: ended }
			},
			{ user, ip: currentActor().ip }
		);
		return user;
	});
	// every session it had is gone for good: their open streams close
	endStreamsOf(deps, user.id);
	return user;
}
