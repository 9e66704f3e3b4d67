// Login throttling kept in the database, so limits hold across restarts and across processes.
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
	// one upsert counts the request unless the window is used up (atomic on PostgreSQL too)
	const counted = limit >= 1 ? await repo.countThrottle(key, now, windowMs, limit) : undefined;
	if (counted) return null;
	const row = await repo.findThrottle(key);
	const windowStart = row && now - row.window_start < windowMs ? row.window_start : now;
	return new AppError(429, 'rate_limited', message, {
		headers: retryAfter(windowStart + windowMs, now)
	});
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
 * the same table, so it holds across processes. Throws 429 with Retry-After when used up.
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
		// one upsert: two failures at once both count, and exactly one of them reaches the limit
		const failures = await createAuthRepo(tx).recordThrottleFailure(
			`acct:${login}`,
			now,
			windowMinutes * MINUTE,
			maxFailures,
			now + lockMinutes * MINUTE
		);
		return failures === maxFailures;
	});
}

export async function clearLoginFailures(deps: Deps, login: string): Promise<void> {
	await createAuthRepo(deps.store).clearThrottle(`acct:${login}`);
}
