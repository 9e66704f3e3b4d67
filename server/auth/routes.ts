import {
	AuthResult,
	LoginInput,
	MeResult,
	PasswordResetInput,
	PreferencesInput,
	PreferencesSchema,
	PhoneCodeRequest,
	PhoneCodeSent,
	RegisterInput
} from '../../shared/schemas/auth.ts';
import { recordAudit } from '../audit/audit.ts';
import { currentActor } from '../audit/context.ts';
import { actingOf } from '../proxy/proxy.ts';
import { registerCitizen, resetPassword } from '../accounts/citizens.ts';
import { sendPhoneCode } from '../accounts/phone-codes.ts';
import { setPreferences } from '../accounts/accounts.ts';
import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.ts';
import { signIn, startSession } from './auth.ts';
import { invalidateSession } from './session.ts';

const phoneCode = defineRoute('public', {
	method: 'post',
	path: '/auth/phone-codes',
	tags: ['auth'],
	summary: 'Send a 6-digit SMS code to prove a phone (registration or password reset)',
	description:
		'The answer is the same whether or not the phone has an account; a phone that already has one gets a notice instead of a registration code, and a reset code goes only to an account. A code lives 5 minutes and allows 5 attempts; a new one replaces the open ones.',
	request: { body: jsonBody(PhoneCodeRequest) },
	responses: {
		202: json(PhoneCodeSent, 'Sent (or, where nothing is due, the same answer)'),
		429: errorJson(
			'A code was just sent (code_too_soon), or the hourly limit per phone or address'
		),
		503: errorJson('No SMS can be sent (sms_unavailable)')
	}
});

const register = defineRoute('public', {
	method: 'post',
	path: '/auth/register',
	tags: ['auth'],
	summary: 'Register a citizen account with the SMS code sent to the phone, and sign in',
	request: { body: jsonBody(RegisterInput) },
	responses: {
		201: json(AuthResult, 'Registered and signed in; the session cookie is set'),
		400: errorJson(
			'Invalid input, or invalid_code: the code is wrong, expired or used up (the same answer when the phone already has an account)'
		),
		429: errorJson('Too many registrations from this address')
	}
});

const passwordReset = defineRoute('public', {
	method: 'post',
	path: '/auth/password-reset',
	tags: ['auth'],
	summary: '忘记密码: set a new password with the SMS reset code; ends every other session',
	request: { body: jsonBody(PasswordResetInput) },
	responses: {
		200: json(AuthResult, 'Password changed and signed in; every earlier session has ended'),
		400: errorJson('Invalid input, or invalid_code')
	}
});

const login = defineRoute('public', {
	method: 'post',
	path: '/auth/login',
	tags: ['auth'],
	summary: 'Sign in with phone (citizens) or username (staff)',
	request: { body: jsonBody(LoginInput) },
	responses: {
		200: json(
			AuthResult,
			'Signed in; the session cookie is set. With `secondFactor` set, the session awaits the second factor (/auth/two-factor) and is not signed in yet'
		),
		401: errorJson('Wrong login or password'),
		429: errorJson('Locked after repeated failures, or too many attempts from this address')
	}
});

const logout = defineRoute('session', {
	method: 'post',
	path: '/auth/logout',
	tags: ['auth'],
	summary: 'End the current session (also one still awaiting its second factor)',
	responses: { 204: { description: 'Signed out' } }
});

const me = defineRoute('signed-in', {
	method: 'get',
	path: '/me',
	tags: ['auth'],
	summary: 'The signed-in user, with role and org unit',
	responses: { 200: json(MeResult, 'The signed-in user') }
});

const preferences = defineRoute('signed-in', {
	method: 'put',
	path: '/me/preferences',
	tags: ['auth'],
	summary: "Set the signed-in user's own preferences (适老化 mode), kept for the account",
	request: { body: jsonBody(PreferencesInput) },
	responses: {
		200: json(z.object({ preferences: PreferencesSchema }), 'Saved')
	}
});

export function authRoutes() {
	return createRouter()
		.openapi(phoneCode, async (c) =>
			c.json(await sendPhoneCode(c.var.deps, c.req.valid('json'), c.env?.ip ?? 'unknown'), 202)
		)
		.openapi(register, async (c) => {
			const deps = c.var.deps;
			const user = await registerCitizen(deps, c.req.valid('json'), c.env?.ip ?? 'unknown');
			const signed = await startSession(deps, user);
			setSessionCookie(c, signed.token, signed.expiresAt);
			return c.json(
				{ user: signed.user, token: signed.token, secondFactor: signed.secondFactor },
				201
			);
		})
		.openapi(passwordReset, async (c) => {
			const deps = c.var.deps;
			const user = await resetPassword(deps, c.req.valid('json'));
			const signed = await startSession(deps, user);
			setSessionCookie(c, signed.token, signed.expiresAt);
			return c.json(
				{ user: signed.user, token: signed.token, secondFactor: signed.secondFactor },
				200
			);
		})
		.openapi(login, async (c) => {
			const signed = await signIn(c.var.deps, c.req.valid('json'), c.env?.ip ?? 'unknown');
			setSessionCookie(c, signed.token, signed.expiresAt);
			return c.json(
				{ user: signed.user, token: signed.token, secondFactor: signed.secondFactor },
				200
			);
		})
		.openapi(logout, async (c) => {
			const auth = c.var.auth!;
			await invalidateSession(c.var.deps, auth.session.id);
			// named here: a session awaiting its second factor has no signed-in user on the request
			await recordAudit(
				c.var.deps,
				{ action: 'auth.logout' },
				{ ...currentActor(), user: auth.user }
			);
			clearSessionCookie(c);
			return c.body(null, 204);
		})
		.openapi(me, async (c) => {
			// c.get: c.var would copy the request's variables at each read (server/http/auth-middleware.ts)
			// the actor's preferences were read with their account when the session was checked
			return c.json(
				{
					user: c.get('actor')!,
					preferences: c.get('auth')!.preferences,
					acting: actingOf(c.get('acting'))
				},
				200
			);
		})
		.openapi(preferences, async (c) =>
			c.json(
				{
					preferences: await setPreferences(c.var.deps, c.var.actor!.id, c.req.valid('json'))
				},
				200
			)
		);
}
