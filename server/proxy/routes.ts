import { z } from 'zod';
import {
	ActingInput,
	ActingResult,
	ConfirmGrantInput,
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
		});
}
