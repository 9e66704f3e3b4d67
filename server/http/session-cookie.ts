import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { AppEnv } from './env.ts';

export function readSessionToken(
	c: Context<AppEnv>
): { token: string; from: 'bearer' | 'cookie' } | null {
	const header = c.req.header('authorization');
	if (header?.toLowerCase().startsWith('bearer '))
		return { token: header.slice(7).trim(), from: 'bearer' };
	const cookie = getCookie(c, c.get('deps').config.session.cookieName);
	return cookie ? { token: cookie, from: 'cookie' } : null;
}

/** The Set-Cookie header of a session (the API's answers and the pages' hook send the same). */
export function sessionCookie(config: Config, token: string, expiresAt: number): string {
	return generateCookie(config.session.cookieName, token, {
		httpOnly: true,
		sameSite: 'Lax',
		secure: config.session.secureCookie,
		path: '/',
		expires: new Date(expiresAt)
	});
}

/** The Set-Cookie header that removes the session cookie (the session ended or never was). */
export function clearedSessionCookie(config: Config): string {
	return generateCookie(config.session.cookieName, '', { path: '/', maxAge: 0 });
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
	c.header('set-cookie', sessionCookie(c.var.deps.config, token, expiresAt), { append: true });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
	c.header('set-cookie', clearedSessionCookie(c.var.deps.config), { append: true });
}
