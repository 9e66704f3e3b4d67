// Who is signed in on a page request (web/hooks.server.ts): the API's own rule for a valid
// session (validateSessionToken, as its auth middleware uses it), called directly instead of
// through an in-process GET /api/me on every page, with the same answer and the same cookie.
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { validateSessionToken } from '../auth/session.ts';
import { resolveActing } from '../access/acting.ts';
import { actingOf } from '../proxy/proxy.ts';
import type { Acting } from '../../shared/schemas/acting.ts';
import { clearedSessionCookie, sessionCookie } from './session-cookie.ts';

export interface PageVisitor {
	/** null also for a session still awaiting its second factor, as for GET /api/me */
	user: User | null;
	/** the account's 适老化 mode */
	careMode: boolean;
	/** 代办: whom this sign-in acts for, as GET /api/me says it (the banner on every page) */
	acting: Acting | null;
	/** a Set-Cookie header for the answer: the session renewed, or the cookie of an ended one removed */
	setCookie: string | null;
}

/** The visitor a page request's session cookie names (a read: never counted as activity). */
export async function pageVisitor(deps: Deps, token: string): Promise<PageVisitor> {
	const valid = await validateSessionToken(deps, token);
	if (!valid)
		return {
			user: null,
			careMode: false,
			acting: null,
			setCookie: clearedSessionCookie(deps.config)
		};
	const user = valid.session.two_factor_verified ? valid.user : null;
	// the auth middleware's rule for a sign-in acting under a grant (server/http/auth-middleware.ts)
	const grantId = user ? valid.session.acting_for_grant : null;
	return {
		user,
		careMode: user ? valid.preferences.careMode : false,
		acting: user && grantId ? actingOf(await resolveActing(deps, grantId, user)) : null,
		setCookie: valid.renewed ? sessionCookie(deps.config, token, valid.session.expires_at) : null
	};
}
