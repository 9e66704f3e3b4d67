import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { loginAccount } from '../accounts/accounts.ts';
import type { LoginInput, SecondFactor, User } from '../../shared/schemas/auth.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import { createSession, generateSessionToken } from './session.ts';
import { recordAudit } from '../audit/audit.ts';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from './throttle.ts';
import { secondFactorFor } from './two-factor.ts';

export interface SignedIn {
	user: User;
	token: string;
	expiresAt: number;
	/** Set: the session awaits this second factor and is not signed in yet. */
	secondFactor: SecondFactor;
}

/** A phone-shaped login is a citizen's; anything else is a staff username. */
function normaliseLogin(login: string): { kind: 'phone' | 'username'; value: string } {
	const compact = login.replace(/[\s-]/g, '');
	return /^\d{11}$/.test(compact)
		? { kind: 'phone', value: compact }
		: { kind: 'username', value: login.toLowerCase() };
}

export async function signIn(deps: Deps, input: LoginInput, ip: string): Promise<SignedIn> {
	const login = normaliseLogin(input.login);
	await checkLoginAllowed(deps, login.value, ip);
	const account = await loginAccount(deps, login);
	const ok = account
		? await verifyPassword(account.passwordHash, input.password)
		: (await burnPasswordCheck(input.password), false);
	if (!account || !ok || account.disabled) {
		const lockedNow = await recordLoginFailure(deps, login.value);
		// the login as typed is masked by the audit (a phone keeps its first 3 and last 4 digits)
		const who = { user: account ? account.user : null, ip };
		// an unknown login is not stored: people type their password into the login field
		const detail = account
			? { login: login.value, reason: ok ? 'disabled' : 'wrong_password' }
			: { reason: 'unknown_login' };
		await recordAudit(deps, { action: 'auth.login_failed', detail }, who);
		if (lockedNow)
			await recordAudit(deps, { action: 'auth.locked', detail: { login: login.value } }, who);
		// One message for unknown login and wrong password: do not reveal which accounts exist.
		throw new AppError(401, 'invalid_credentials', 'Wrong phone number, username or password');
	}
	const user = account.user;
	const signed = await startSession(deps, user);
	// With a second factor still to give, earlier failures keep counting: otherwise each right
	// password would buy a fresh set of guesses at the code.
	if (!signed.secondFactor) await clearLoginFailures(deps, login.value);
	await recordAudit(deps, { action: 'auth.login' }, { user, ip });
	return signed;
}

/** A new session; it awaits the user's second factor when they have to give one. */
export async function startSession(deps: Deps, user: User): Promise<SignedIn> {
	const secondFactor = await secondFactorFor(deps, user);
	const token = generateSessionToken();
	const session = await createSession(deps, token, user.id, secondFactor === null);
	return { user, token, expiresAt: session.expires_at, secondFactor };
}
