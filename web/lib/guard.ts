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

/** Only same-site paths are followed after login (no open redirects). */
export function safeNext(next: string | null): string | null {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
		? next
		: null;
}
