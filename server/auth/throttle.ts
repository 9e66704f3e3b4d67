// Login throttling kept in SQLite, so limits hold across restarts and across processes.
// Two keys per attempt: the account ("acct:<login>") is locked after repeated failures;
// the client address ("ip:<addr>") is limited to a number of attempts per minute, which
// stops one address from trying many accounts.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { createAuthRepo } from './repo.ts';

const MINUTE = 60_000;

function retryAfter(until: number, now: number): Record<string, string> {
	return { 'Retry-After': String(Math.max(1, Math.ceil((until - now) / 1000))) };
}

/** Throws 429 when the account is locked or the address has used up its attempts. Counts the attempt. */
export async function checkLoginAllowed(deps: Deps, login: string, ip: string): Promise<void> {
	const { perIpPerMinute } = deps.config.login;
	const error = await deps.store.transaction(async (tx) => {
		const locked = await accountLocked({ ...deps, store: tx }, login);
		if (locked) return locked;
		return countPerMinute(
			{ ...deps, store: tx },
			`ip:${ip}`,
			perIpPerMinute,
			'Too many sign-in attempts; wait a minute'
		);
	});
	if (error) throw error;
}

async function accountLocked(deps: Deps, login: string): Promise<AppError | null> {
	const now = deps.now();
	const acct = await createAuthRepo(deps.store).findThrottle(`acct:${login}`);
	return acct?.locked_until && acct.locked_until > now
		? new AppError(
				429,
				'account_locked',
				'Too many failed sign-ins; this account is locked for a while',
				{ headers: retryAfter(acct.locked_until, now) }
			)
		: null;
}

/**
 * Throws 429 while the account is locked. For the second factor: the password already passed,
 * and the account lock alone bounds how many codes can be guessed.
 */
export async function checkAccountNotLocked(deps: Deps, login: string): Promise<void> {
	const locked = await accountLocked(deps, login);
	if (locked) throw locked;
}

/** Counts one request of `key` in its current window; the error when over `limit`. */
async function countInWindow(
	deps: Deps,
	key: string,
	limit: number,
	windowMs: number,
	message: string
): Promise<AppError | null> {
	const repo = createAuthRepo(deps.store);
	const now = deps.now();
	const row = await repo.findThrottle(key);
	const fresh = !row || now - row.window_start >= windowMs;
	const attempts = fresh ? 1 : row.failures + 1;
	const windowStart = fresh ? now : row.window_start;
	if (attempts > limit)
		return new AppError(429, 'rate_limited', message, {
			headers: retryAfter(windowStart + windowMs, now)
		});
	await repo.saveThrottle({
		key,
		failures: attempts,
		window_start: windowStart,
		locked_until: null
	});
	return null;
}

function countPerMinute(
	deps: Deps,
	key: string,
	limit: number,
	message: string
): Promise<AppError | null> {
	return countInWindow(deps, key, limit, MINUTE, message);
}

/**
 * A per-minute limit for an open endpoint (e.g. `ask:<address>` for the assistant), kept in
 * the same SQLite table, so it holds across processes. Throws 429 with Retry-After when used up.
 */
export async function checkRateLimit(deps: Deps, key: string, perMinute: number): Promise<void> {
	const error = await deps.store.transaction((tx) =>
		countPerMinute({ ...deps, store: tx }, key, perMinute, 'Too many requests; wait a minute')
	);
	if (error) throw error;
}

/** The same, per hour (registrations and SMS codes from one address). */
export async function checkHourlyLimit(
	deps: Deps,
	key: string,
	perHour: number,
	message: string
): Promise<void> {
	const error = await deps.store.transaction((tx) =>
		countInWindow({ ...deps, store: tx }, key, perHour, 60 * MINUTE, message)
	);
	if (error) throw error;
}

/**
 * Records a wrong password; locks the account when the failures in the window reach the limit.
 * True when this failure locked it.
 */
export async function recordLoginFailure(deps: Deps, login: string): Promise<boolean> {
	const { maxFailures, windowMinutes, lockMinutes } = deps.config.login;
	const now = deps.now();
	return deps.store.transaction(async (tx) => {
		const repo = createAuthRepo(tx);
		const key = `acct:${login}`;
		const row = await repo.findThrottle(key);
		const fresh = !row || now - row.window_start >= windowMinutes * MINUTE;
		const failures = fresh ? 1 : row.failures + 1;
		await repo.saveThrottle({
			key,
			failures,
			window_start: fresh ? now : row.window_start,
			locked_until: failures >= maxFailures ? now + lockMinutes * MINUTE : null
		});
		return failures === maxFailures;
	});
}

export async function clearLoginFailures(deps: Deps, login: string): Promise<void> {
	await createAuthRepo(deps.store).clearThrottle(`acct:${login}`);
}
