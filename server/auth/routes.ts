import { AuthResult, LoginInput, MeResult, RegisterInput } from '../../shared/schemas/auth.ts';
import { recordAudit } from '../audit/audit.ts';
import { registerCitizen } from '../accounts/accounts.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.ts';
import { signIn, startSession } from './auth.ts';
import { invalidateSession } from './session.ts';

const register = defineRoute('public', {
	method: 'post',
	path: '/auth/register',
	tags: ['auth'],
	summary: 'Register a citizen account (phone + password) and sign in',
	request: { body: jsonBody(RegisterInput) },
	responses: {
		201: json(AuthResult, 'Registered and signed in; the session cookie is set'),
		409: errorJson('The phone number is already registered')
	}
});

const login = defineRoute('public', {
	method: 'post',
	path: '/auth/login',
	tags: ['auth'],
	summary: 'Sign in with phone (citizens) or username (staff)',
	request: { body: jsonBody(LoginInput) },
	responses: {
		200: json(AuthResult, 'Signed in; the session cookie is set'),
		401: errorJson('Wrong login or password'),
		429: errorJson('Locked after repeated failures, or too many attempts from this address')
	}
});

const logout = defineRoute('signed-in', {
	method: 'post',
	path: '/auth/logout',
	tags: ['auth'],
	summary: 'End the current session',
	responses: { 204: { description: 'Signed out' } }
});

const me = defineRoute('signed-in', {
	method: 'get',
	path: '/me',
	tags: ['auth'],
	summary: 'The signed-in user, with role and org unit',
	responses: { 200: json(MeResult, 'The signed-in user') }
});

export function authRoutes() {
	return createRouter()
		.openapi(register, async (c) => {
			const deps = c.var.deps;
			const user = await registerCitizen(deps, c.req.valid('json'));
			const signed = startSession(deps, user);
			setSessionCookie(c, signed.token, signed.expiresAt);
			return c.json({ user: signed.user, token: signed.token }, 201);
		})
		.openapi(login, async (c) => {
			const signed = await signIn(c.var.deps, c.req.valid('json'), c.env?.ip ?? 'unknown');
			setSessionCookie(c, signed.token, signed.expiresAt);
			return c.json({ user: signed.user, token: signed.token }, 200);
		})
		.openapi(logout, (c) => {
			invalidateSession(c.var.deps, c.var.auth!.session.id);
			recordAudit(c.var.deps, { action: 'auth.logout' });
			clearSessionCookie(c);
			return c.body(null, 204);
		})
		.openapi(me, (c) => c.json({ user: c.var.user! }, 200));
}
