// Staff two-factor sign-in (等保 2.0 level 3 asks administrators for two kinds of authentication;
// issue 17). As the Lucia guide does it: after the password, a TOTP code (RFC 6238: HMAC-SHA1,
// 30-second steps, 6 digits, what every authenticator app speaks) from @oslojs/otp, and one-time
// recovery codes for a lost phone. Codes are computed from the app clock (deps.now), so tests
// move time like everything else; codes and secrets are never logged or audited.
import { sha256 } from '@oslojs/crypto/sha2';
import {
	encodeBase32LowerCaseNoPadding,
	encodeBase32UpperCaseNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import { generateHOTP, verifyHOTP } from '@oslojs/otp';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { loginAccount } from '../accounts/accounts.ts';
import { recordAudit } from '../audit/audit.ts';
import { currentActor, type Actor } from '../audit/context.ts';
import type { SecondFactor, User } from '../../shared/schemas/auth.ts';
import type { TwoFactorSetup, TwoFactorStatus } from '../../shared/schemas/two-factor.ts';
import {
	deleteSessionsOf,
	endStreamsOf,
	markSessionVerified,
	type ValidSession
} from './session.ts';
import { checkAccountNotLocked, clearLoginFailures, recordLoginFailure } from './throttle.ts';
import { createTwoFactorRepo } from './two-factor-repo.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'Cloud Hall';
const RECOVERY_CODES = 10;

/** The 30-second step a moment falls in (the TOTP counter). */
export function totpStep(now: number): number {
	return Math.floor(now / (TOTP_PERIOD_SECONDS * 1000));
}

/** The code an authenticator app shows for the secret during the step. */
export function totpCode(secret: Uint8Array, step: number): string {
	return generateHOTP(secret, BigInt(step), TOTP_DIGITS);
}

/** otpauth:// key URI, the format authenticator apps read from a QR code. */
export function totpKeyUri(username: string, secret: Uint8Array): string {
	const issuer = encodeURIComponent(TOTP_ISSUER);
	const params = `secret=${encodeBase32UpperCaseNoPadding(secret)}&issuer=${issuer}&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
	return `otpauth://totp/${issuer}:${encodeURIComponent(username)}?${params}`;
}

/**
 * The step whose code this is, among the previous, current and next one (a phone's clock may be
 * off by a little); null when none. verifyHOTP compares in constant time, and all three are
 * always checked, so the answer takes as long whichever step matches.
 */
function matchingStep(secret: Uint8Array, code: string, now: number): number | null {
	const current = totpStep(now);
	let matched: number | null = null;
	for (const step of [current - 1, current, current + 1])
		if (verifyHOTP(secret, BigInt(step), TOTP_DIGITS, code) && matched === null) matched = step;
	return matched;
}

/** What the user must still give after the password: a code, an authenticator set up, or nothing. */
export async function secondFactorFor(deps: Deps, user: User): Promise<SecondFactor> {
	if (user.role === 'citizen') return null;
	if ((await createTwoFactorRepo(deps.store).findCredential(user.id))?.confirmed_at)
		return 'verify';
	return deps.config.twoFactorRoles.includes(user.role) ? 'enrol' : null;
}

export async function twoFactorStatus(deps: Deps, auth: ValidSession): Promise<TwoFactorStatus> {
	const step = auth.session.two_factor_verified
		? null
		: ((await secondFactorFor(deps, auth.user)) ?? 'enrol');
	return { step, user: auth.user };
}

/** The session's user and the request's address: a session awaiting its factor is no signed-in user yet. */
function actorOf(user: User): Actor {
	return { user, ip: currentActor().ip };
}

/** The key the sign-in throttle counts the account's failures under (as the password does). */
function throttleLogin(user: User): string {
	return (user.username ?? user.phone ?? user.id).toLowerCase();
}

function staffOnly(user: User): void {
	if (user.role === 'citizen') throw AppError.forbidden('Two-factor sign-in is for staff accounts');
}

/**
 * A wrong code counts as a failed sign-in: the account locks after LOGIN_MAX_FAILURES, which
 * bounds the guesses at a 6-digit code. Audited without the code. The error to throw
 * (`throw await refuse(...)`).
 */
async function refuse(
	deps: Deps,
	user: User,
	reason: 'wrong_code' | 'wrong_recovery_code'
): Promise<AppError> {
	const login = throttleLogin(user);
	const lockedNow = await recordLoginFailure(deps, login);
	const who = actorOf(user);
	const target = { type: 'user', id: user.id };
	await recordAudit(deps, { action: 'auth.2fa_failed', target, detail: { reason } }, who);
	if (lockedNow) await recordAudit(deps, { action: 'auth.locked', detail: { login } }, who);
	return reason === 'wrong_code'
		? new AppError(401, 'invalid_totp_code', 'The code is wrong or has expired', {
				fields: { code: 'is wrong or has expired' }
			})
		: new AppError(401, 'invalid_recovery_code', 'The recovery code is wrong or already used', {
				fields: { recoveryCode: 'is wrong or already used' }
			});
}

/** A fresh secret waiting for its first code; the user's confirmed one is never replaced here. */
export async function startEnrolment(deps: Deps, auth: ValidSession): Promise<TwoFactorSetup> {
	staffOnly(auth.user);
	const secret = new Uint8Array(20);
	crypto.getRandomValues(secret);
	if (!(await createTwoFactorRepo(deps.store).savePendingSecret(auth.user.id, secret, deps.now())))
		throw enrolledAlready();
	return {
		secret: encodeBase32UpperCaseNoPadding(secret),
		uri: totpKeyUri(auth.user.username ?? auth.user.id, secret)
	};
}

function enrolledAlready() {
	return AppError.conflict(
		'two_factor_enrolled',
		'Two-factor sign-in is already set up for this account; an administrator can reset it'
	);
}

export function hashRecoveryCode(code: string): string {
	const normalised = code.toLowerCase().replace(/[^a-z0-9]/g, '');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normalised)));
}

/** abcd-efgh-ijkl-mnop: 80 random bits, easy to copy onto paper. */
function newRecoveryCode(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

/**
 * The first code from the new authenticator confirms it: the session is signed in, and the user
 * gets recovery codes, shown this once (only their hashes are kept).
 */
export async function confirmEnrolment(
	deps: Deps,
	auth: ValidSession,
	code: string
): Promise<{ recoveryCodes: string[] }> {
	staffOnly(auth.user);
	const user = auth.user;
	await checkAccountNotLocked(deps, throttleLogin(user));
	const credential = await createTwoFactorRepo(deps.store).findCredential(user.id);
	if (credential?.confirmed_at) throw enrolledAlready();
	if (!credential)
		throw AppError.conflict('no_pending_secret', 'Start setting up the authenticator app first');
	const now = deps.now();
	const step = matchingStep(credential.secret, code, now);
	if (step === null) throw await refuse(deps, user, 'wrong_code');
	const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
	await deps.store.transaction(async (tx) => {
		const repo = createTwoFactorRepo(tx);
		if (!(await repo.confirmCredential(user.id, step, now))) throw enrolledAlready();
		await repo.deleteRecoveryCodes(user.id);
		for (const c of recoveryCodes)
			await repo.insertRecoveryCode({
				id: newId(),
				user_id: user.id,
				code_hash: hashRecoveryCode(c),
				created_at: now
			});
		await markSessionVerified({ ...deps, store: tx }, auth.session);
		await recordAudit(
			{ ...deps, store: tx },
			{ action: 'auth.2fa_enrolled', target: { type: 'user', id: user.id } },
			actorOf(user)
		);
	});
	await clearLoginFailures(deps, throttleLogin(user));
	return { recoveryCodes };
}

/**
 * The code from the user's authenticator signs the session in. A code is accepted once: one of
 * the last accepted step or earlier is refused as `code_already_used` (not a failed attempt: the
 * user typed a real code, too late).
 */
export async function verifySecondFactor(
	deps: Deps,
	auth: ValidSession,
	code: string
): Promise<void> {
	staffOnly(auth.user);
	const user = auth.user;
	const credential = await createTwoFactorRepo(deps.store).findCredential(user.id);
	if (!credential?.confirmed_at)
		throw AppError.conflict('not_enrolled', 'Two-factor sign-in is not set up for this account');
	await checkAccountNotLocked(deps, throttleLogin(user));
	const step = matchingStep(credential.secret, code, deps.now());
	if (step === null) throw await refuse(deps, user, 'wrong_code');
	const accepted = await deps.store.transaction(async (tx) => {
		if (!(await createTwoFactorRepo(tx).acceptStep(user.id, step))) return false;
		await markSessionVerified({ ...deps, store: tx }, auth.session);
		return true;
	});
	if (!accepted) {
		await recordAudit(
			deps,
			{
				action: 'auth.2fa_failed',
				target: { type: 'user', id: user.id },
				detail: { reason: 'code_already_used' }
			},
			actorOf(user)
		);
		throw new AppError(
			401,
			'code_already_used',
			'This code was used already; wait for the next one in your authenticator app',
			{ fields: { code: 'was used already' } }
		);
	}
	await clearLoginFailures(deps, throttleLogin(user));
}

/** A recovery code instead of the authenticator's: each works once. */
export async function useRecoveryCode(
	deps: Deps,
	auth: ValidSession,
	recoveryCode: string
): Promise<{ remaining: number }> {
	staffOnly(auth.user);
	const user = auth.user;
	await checkAccountNotLocked(deps, throttleLogin(user));
	const remaining = await deps.store.transaction(async (tx) => {
		const repo = createTwoFactorRepo(tx);
		if (!(await repo.useRecoveryCode(user.id, hashRecoveryCode(recoveryCode), deps.now())))
			return null;
		await markSessionVerified({ ...deps, store: tx }, auth.session);
		const left = await repo.countUnusedRecoveryCodes(user.id);
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'auth.recovery_code_used',
				target: { type: 'user', id: user.id },
				detail: { remaining: left }
			},
			actorOf(user)
		);
		return left;
	});
	if (remaining === null) throw await refuse(deps, user, 'wrong_recovery_code');
	await clearLoginFailures(deps, throttleLogin(user));
	return { remaining };
}

/** An authenticator set up without its first code: the demo seed (not audited, like the seed). */
export async function enrolWithSecret(
	deps: Deps,
	userId: string,
	secret: Uint8Array
): Promise<void> {
	await createTwoFactorRepo(deps.store).insertConfirmedSecret(userId, secret, deps.now());
}

/**
 * An operator removes a staff member's authenticator and recovery codes (a lost phone) and ends
 * their sessions: the next sign-in enrols again when their role requires it. Audited as the
 * current actor.
 */
export async function resetTwoFactor(
	deps: Deps,
	username: string
): Promise<{ user: User; sessionsEnded: number }> {
	const account = await loginAccount(deps, { kind: 'username', value: username.toLowerCase() });
	if (!account || account.user.role === 'citizen') throw AppError.notFound('Staff account');
	const user = account.user;
	const result = await deps.store.transaction(async (tx) => {
		const repo = createTwoFactorRepo(tx);
		const had = (await repo.deleteCredential(user.id)) > 0;
		await repo.deleteRecoveryCodes(user.id);
		const sessionsEnded = await deleteSessionsOf({ ...deps, store: tx }, user.id);
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'account.2fa_reset',
				target: { type: 'user', id: user.id },
				detail: { username: user.username, hadAuthenticator: had, sessionsEnded }
			}
		);
		return { user, sessionsEnded };
	});
	// their open streams close once the sessions are gone for good
	endStreamsOf(deps, user.id);
	return result;
}
