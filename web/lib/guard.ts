import { error, redirect } from '@sveltejs/kit';
import type { Role } from '$shared/roles.ts';
import type { User } from '$shared/schemas/auth.ts';

/**
 * Guard for a route group's +layout.server.ts: no session → the login page (coming back here
 * afterwards); a session of another role → 403.
 */
export function requireRole(
	locals: App.Locals,
	url: URL,
	roles: readonly Role[] | 'signed-in'
): User {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (roles !== 'signed-in' && !roles.includes(user.role))
		error(403, { message: 'forbidden', code: 'forbidden' });
	return user;
}

/**
 * Only paths of this site are followed after login. Parsed as a URL against a dummy origin, so
 * tricks browsers accept ("/\evil", "/%09/evil", tabs and newlines) cannot leave the site.
 */
export function safeNext(next: string | null): string | null {
	// eslint-disable-next-line no-control-regex
	if (!next || !next.startsWith('/') || /[\u0000-\u001f\\]/.test(next)) return null;
	try {
		const url = new URL(next, 'http://hall.invalid');
		return url.origin === 'http://hall.invalid' ? url.pathname + url.search + url.hash : null;
	} catch {
		return null;
	}
}
