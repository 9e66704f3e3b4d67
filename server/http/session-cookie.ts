import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './env.ts';

export function readSessionToken(
	c: Context<AppEnv>
): { token: string; from: 'bearer' | 'cookie' } | null {
	const header = c.req.header('authorization');
	if (header?.toLowerCase().startsWith('bearer '))
		return { token: header.slice(7).trim(), from: 'bearer' };
	const cookie = getCookie(c, c.var.deps.config.session.cookieName);
	return cookie ? { token: cookie, from: 'cookie' } : null;
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
	const { config } = c.var.deps;
	setCookie(c, config.session.cookieName, token, {
		httpOnly: true,
		sameSite: 'Lax',
		secure: config.session.secureCookie,
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(c: Context<AppEnv>): void {
	deleteCookie(c, c.var.deps.config.session.cookieName, { path: '/' });
}
