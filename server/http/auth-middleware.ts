import { createMiddleware } from 'hono/factory';
import type { Role } from '../../shared/roles.ts';
import { noteActivity, validateSessionToken } from '../auth/session.ts';
import { requireActingRecord, requireActingRoute, resolveActing } from '../access/acting.ts';
import type { AppEnv } from './env.ts';
import { AppError } from './errors.ts';
import { clearSessionCookie, readSessionToken, setSessionCookie } from './session-cookie.ts';

/**
 * Resolves the session cookie or Bearer token into c.var.auth (any live session) and c.var.user
 * (null when absent, invalid or still awaiting its second factor: such a session is not a
 * signed-in user, so every route but the two-factor steps answers 401).
 */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

// On every request: c.get, not c.var (Hono's c.var copies all the request's variables into a new
// object at each read; GET /api/me paid for it, bench-hot-paths.ts).

export const resolveSession = createMiddleware<AppEnv>(async (c, next) => {
	const deps = c.get('deps');
	const presented = readSessionToken(c);
	const valid = presented ? await validateSessionToken(deps, presented.token) : null;
	c.set('auth', valid);
	const signedIn = valid?.session.two_factor_verified ? valid.user : null;
	c.set('actor', signedIn);
	c.set('user', signedIn);
	c.set('acting', null);
	// 代办: a session acting under a grant works on the applicant's records while the grant holds
	const grantId = signedIn ? valid!.session.acting_for_grant : null;
	if (signedIn && grantId) {
		const acting = await resolveActing(deps, grantId, signedIn);
		if (acting) {
			c.set('acting', acting);
			if (acting.state === 'active') c.set('user', acting.applicantUser);
		}
	}
	// A change is activity; a read is not (pages refetch on hall events by themselves): the
	// page reports clicks and typing through POST /api/auth/activity. Only a session with an idle
	// clock (staff's) keeps its last activity: a citizen's lasts its days whatever they do, and a
	// write of it would cost each of their changes (taking a number) a durable write of its own.
	if (
		valid?.session.two_factor_verified &&
		valid.idleExpiresAt !== null &&
		!READS.has(c.req.method)
	)
		await noteActivity(deps, valid.session);
	if (presented?.from === 'cookie') {
		if (!valid) clearSessionCookie(c);
		else if (valid.renewed) setSessionCookie(c, presented.token, valid.session.expires_at);
	}
	await next();
});

/**
 * While a session acts for someone: deny by default (server/access/acting.ts holds the
 * allow-list), and a record reached by id must be the applicant's, of a granted item.
 */
export const guardActing = createMiddleware<AppEnv>(async (c, next) => {
	const acting = c.get('acting');
	if (acting) {
		requireActingRoute(acting, c.req.method, c.req.path);
		if (acting.state === 'active') await requireActingRecord(c.get('deps'), acting, c.req.path);
	}
	await next();
});

/**
 * Who may call a route: anyone, any session (also one still awaiting its second factor: the
 * two-factor steps and logout), any signed-in user, or the listed roles.
 */
export type Access = 'public' | 'session' | 'signed-in' | readonly Role[];

export function describeAccess(access: Access): string {
	if (access === 'public') return 'public';
	if (access === 'session')
		return 'any session, also one still awaiting its second factor (two-factor sign-in)';
	if (access === 'signed-in') return 'any signed-in user';
	return access.join(', ');
}

/** 401 without a session, 403 with a session of another role. */
export function requireAccess(access: Access) {
	return createMiddleware<AppEnv>(async (c, next) => {
		if (access === 'session') {
			if (!c.get('auth')) throw AppError.unauthenticated();
		} else if (access !== 'public') {
			const user = c.get('user');
			if (!user) throw AppError.unauthenticated();
			if (access !== 'signed-in' && !access.includes(user.role)) throw AppError.forbidden();
		}
		await next();
	});
}
