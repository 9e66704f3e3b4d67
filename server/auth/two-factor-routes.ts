// /auth/two-factor: the second step of a staff sign-in (server/auth/two-factor.ts). These routes
// take any session, also one still awaiting its second factor, which every other route refuses.
import {
	RecoveryCodeAccepted,
	RecoveryCodeInput,
	TwoFactorCodeInput,
	TwoFactorEnrolled,
	TwoFactorSetup,
	TwoFactorStatus,
	TwoFactorVerified
} from '../../shared/schemas/two-factor.ts';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { readSessionToken, setSessionCookie } from '../http/session-cookie.ts';
import {
	confirmEnrolment,
	startEnrolment,
	twoFactorStatus,
	useRecoveryCode,
	verifySecondFactor
} from './two-factor.ts';

const status = defineRoute('session', {
	method: 'get',
	path: '/auth/two-factor',
	tags: ['auth'],
	summary:
		'What the session still needs: a code (verify), an authenticator set up (enrol) or nothing (null)',
	responses: { 200: json(TwoFactorStatus, 'The step and the session’s user') }
});

const setup = defineRoute('session', {
	method: 'post',
	path: '/auth/two-factor/setup',
	tags: ['auth'],
	summary: 'Start setting up an authenticator app: a new secret, as text and as an otpauth:// URI',
	description:
		'Each call replaces a secret not yet confirmed. Confirm it with POST /auth/two-factor/enrol.',
	responses: {
		200: json(TwoFactorSetup, 'The new secret (shown to the user, never logged)'),
		409: errorJson('two_factor_enrolled: already set up (an administrator can reset it)')
	}
});

const enrol = defineRoute('session', {
	method: 'post',
	path: '/auth/two-factor/enrol',
	tags: ['auth'],
	summary: 'Confirm the new authenticator with its first code; answers the recovery codes once',
	request: { body: jsonBody(TwoFactorCodeInput) },
	responses: {
		200: json(TwoFactorEnrolled, 'Set up; the session is signed in'),
		401: errorJson('invalid_totp_code (counts as a failed sign-in)'),
		409: errorJson('no_pending_secret (call setup first) or two_factor_enrolled'),
		429: errorJson('The account is locked after repeated failures')
	}
});

const verify = defineRoute('session', {
	method: 'post',
	path: '/auth/two-factor/verify',
	tags: ['auth'],
	summary: 'Give the code from the authenticator app',
	request: { body: jsonBody(TwoFactorCodeInput) },
	responses: {
		200: json(TwoFactorVerified, 'The session is signed in'),
		401: errorJson(
			'invalid_totp_code (counts as a failed sign-in) or code_already_used (wait for the next code)'
		),
		409: errorJson('not_enrolled'),
		429: errorJson('The account is locked after repeated failures')
	}
});

const recover = defineRoute('session', {
	method: 'post',
	path: '/auth/two-factor/recover',
	tags: ['auth'],
	summary: 'Give a recovery code instead of the authenticator’s code (each works once)',
	request: { body: jsonBody(RecoveryCodeInput) },
	responses: {
		200: json(RecoveryCodeAccepted, 'The session is signed in'),
		401: errorJson('invalid_recovery_code (counts as a failed sign-in)'),
		429: errorJson('The account is locked after repeated failures')
	}
});

/** The session now lives a full period: a cookie-held one gets its cookie again. */
function renewCookie(c: Context<AppEnv>): void {
	const presented = readSessionToken(c);
	if (presented?.from === 'cookie')
		setSessionCookie(c, presented.token, c.var.auth!.session.expires_at);
}

export function twoFactorRoutes() {
	return createRouter()
		.openapi(status, async (c) => c.json(await twoFactorStatus(c.var.deps, c.var.auth!), 200))
		.openapi(setup, async (c) => c.json(await startEnrolment(c.var.deps, c.var.auth!), 200))
		.openapi(enrol, async (c) => {
			const auth = c.var.auth!;
			const { recoveryCodes } = await confirmEnrolment(c.var.deps, auth, c.req.valid('json').code);
			renewCookie(c);
			return c.json({ user: auth.user, recoveryCodes }, 200);
		})
		.openapi(verify, async (c) => {
			const auth = c.var.auth!;
			await verifySecondFactor(c.var.deps, auth, c.req.valid('json').code);
			renewCookie(c);
			return c.json({ user: auth.user }, 200);
		})
		.openapi(recover, async (c) => {
			const auth = c.var.auth!;
			const { remaining } = await useRecoveryCode(
				c.var.deps,
				auth,
				c.req.valid('json').recoveryCode
			);
			renewCookie(c);
			return c.json({ user: auth.user, remaining }, 200);
		});
}
