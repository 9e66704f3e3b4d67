import { z } from 'zod';
import {
	ActingInput,
	ActingResult,
	AskedGrant,
	ConfirmGrantInput,
	GrantSignatureInput,
	SessionGrantList,
	GrantList,
	GrantRequest,
	GrantRequested,
	GrantSchema
} from '../../shared/schemas/proxy.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import {
	actingOf,
	confirmGrant,
	listGrants,
	requestGrant,
	revokeGrant,
	startActing,
	stopActing
} from './proxy.ts';
import {
	askedGrant,
	askGrantSignature,
	pendingGrantsInSession,
	signGrantInSession
} from './signature.ts';

const oneGrant = z.object({ grant: GrantSchema });

const request = defineRoute(['citizen'], {
	method: 'post',
	path: '/proxy/grants',
	tags: ['proxy'],
	summary: 'Ask to act for someone (代办授权): a code goes to their phone',
	description:
		'The answer is the same whether or not the phone has an account: a code goes only to a citizen account. ' +
		'The grantor reads the code to you (or types it on your phone); give it to POST /proxy/grants/{id}/confirm. ' +
		'Asking again while the request is pending renews it with a new code. The SMS limits of sign-up codes apply.',
	request: { body: jsonBody(GrantRequest) },
	responses: {
		202: json(GrantRequested, 'Requested (or, where no code is due, the same answer)'),
		409: errorJson('grant_active: you already act for this person'),
		429: errorJson(
			'A code was just sent (code_too_soon), or the hourly limit per phone or address'
		),
		503: errorJson('No SMS can be sent (sms_unavailable)')
	}
});

const confirm = defineRoute(['citizen'], {
	method: 'post',
	path: '/proxy/grants/{id}/confirm',
	tags: ['proxy'],
	summary: 'Confirm a grant with the code the grantor received',
	request: { params: IdParam, body: jsonBody(ConfirmGrantInput) },
	responses: {
		200: json(oneGrant, 'Active'),
		404: errorJson('No such grant of mine'),
		409: errorJson('grant_not_pending (already confirmed or revoked), grant_expired')
	}
});

const list = defineRoute(['citizen'], {
	method: 'get',
	path: '/proxy/grants',
	tags: ['proxy'],
	summary: 'The grants I give and hold (我的), names and phones masked',
	responses: { 200: json(GrantList, 'Newest first') }
});

const revoke = defineRoute(['citizen'], {
	method: 'post',
	path: '/proxy/grants/{id}/revoke',
	tags: ['proxy'],
	summary: 'Revoke a grant (either party, any time); sessions acting under it stop at once',
	request: { params: IdParam },
	responses: {
		200: json(oneGrant, 'Revoked'),
		404: errorJson('No such grant of mine'),
		409: errorJson('grant_revoked: already revoked')
	}
});

const act = defineRoute(['citizen'], {
	method: 'post',
	path: '/proxy/acting',
	tags: ['proxy'],
	summary: 'Act for the grantor of an active grant of mine (this sign-in only)',
	description:
		"While acting, requests work on the grantor's records of the granted items; routes outside the allow-list answer 403 acting_for_someone.",
	request: { body: jsonBody(ActingInput) },
	responses: {
		200: json(ActingResult, 'Now acting'),
		404: errorJson('No such grant of mine'),
		409: errorJson('grant_not_active, grant_expired')
	}
});

const stop = defineRoute(['citizen'], {
	method: 'delete',
	path: '/proxy/acting',
	tags: ['proxy'],
	summary: 'Act for myself again',
	responses: { 200: json(ActingResult, 'Acting for myself') }
});

// 代办授权 signed in a video session: the serving agent's side and the grantor's
const HOSTS = ['agent', 'township'] as const;

const sessionGrants = defineRoute(HOSTS, {
	method: 'get',
	path: '/video-sessions/{id}/proxy-grants',
	tags: ['proxy'],
	summary: "The session citizen's pending grant requests (proxy masked), to ask a signature of",
	request: { params: IdParam },
	responses: {
		200: json(SessionGrantList, 'Newest first; asked: a signature was asked for in this session'),
		403: errorJson('Not the serving agent'),
		410: errorJson('session_ended')
	}
});

const askSignature = defineRoute(HOSTS, {
	method: 'post',
	path: '/video-sessions/{id}/proxy-grants/ask',
	tags: ['proxy'],
	summary:
		'Ask the session citizen to sign a pending grant request of theirs (they see it on their video page)',
	request: { params: IdParam, body: jsonBody(ActingInput) },
	responses: {
		200: json(SessionGrantList, 'Asked; the pending requests as they are now'),
		403: errorJson('Not the serving agent'),
		404: errorJson("No such pending grant of the session's citizen"),
		409: errorJson('grant_not_pending, grant_expired'),
		410: errorJson('session_ended')
	}
});

const asked = defineRoute(['citizen'], {
	method: 'get',
	path: '/video-sessions/{id}/grant-signature',
	tags: ['proxy'],
	summary: 'The grant the agent asked me to sign in this session, while it is pending (else null)',
	request: { params: IdParam },
	responses: {
		200: json(AskedGrant, 'What I am asked to authorise'),
		403: errorJson("Not this session's citizen, or a proxy acting (signature_in_person)"),
		410: errorJson('session_ended')
	}
});

const signInSession = defineRoute(['citizen'], {
	method: 'post',
	path: '/video-sessions/{id}/grant-signature',
	tags: ['proxy'],
	summary: 'Sign, in the session, the grant the agent asked for: it becomes active',
	description:
		"The grantor's own signature (PNG drawn on screen), witnessed by the agent who asked; never a proxy's (403 signature_in_person). " +
		'The grantor and the proxy are told, as after the SMS code.',
	request: { params: IdParam, body: jsonBody(GrantSignatureInput) },
	responses: {
		200: json(oneGrant, 'Active, confirmed by signature'),
		403: errorJson("Not this session's citizen, or a proxy acting (signature_in_person)"),
		404: errorJson('No such pending grant of mine'),
		409: errorJson('grant_not_pending, signature_not_asked, grant_expired, not_admitted'),
		410: errorJson('session_ended')
	}
});

export function proxyRoutes() {
	return createRouter()
		.openapi(request, async (c) =>
			c.json(
				await requestGrant(c.var.deps, c.var.actor!, c.req.valid('json'), c.env?.ip ?? 'unknown'),
				202
			)
		)
		.openapi(confirm, async (c) =>
			c.json(
				{
					grant: await confirmGrant(
						c.var.deps,
						c.var.actor!,
						c.req.valid('param').id,
						c.req.valid('json').code
					)
				},
				200
			)
		)
		.openapi(list, async (c) => c.json({ grants: await listGrants(c.var.deps, c.var.actor!) }, 200))
		.openapi(revoke, async (c) =>
			c.json({ grant: await revokeGrant(c.var.deps, c.var.actor!, c.req.valid('param').id) }, 200)
		)
		.openapi(act, async (c) =>
			c.json(
				{
					acting: await startActing(
						c.var.deps,
						c.var.actor!,
						c.var.auth!.session.id,
						c.req.valid('json').grantId
					)
				},
				200
			)
		)
		.openapi(stop, async (c) => {
			await stopActing(c.var.deps, c.var.auth!.session.id, actingOf(c.var.acting));
			return c.json({ acting: null }, 200);
		})
		.openapi(sessionGrants, async (c) =>
			c.json(
				{
					grants: await pendingGrantsInSession(c.var.deps, c.var.user!, c.req.valid('param').id)
				},
				200
			)
		)
		.openapi(askSignature, async (c) =>
			c.json(
				{
					grants: await askGrantSignature(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').grantId
					)
				},
				200
			)
		)
		.openapi(asked, async (c) =>
			c.json({ grant: await askedGrant(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(signInSession, async (c) => {
			const { grantId, image } = c.req.valid('json');
			return c.json(
				{
					grant: await signGrantInSession(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						grantId,
						image
					)
				},
				200
			);
		});
}
