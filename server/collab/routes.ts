import { z } from 'zod';
import { CaseSchema } from '../../shared/schemas/cases.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { advanceCase, casesForStaff } from '../cases/workflow.ts';
import { acceptGuidance, guidancePool, guidanceStats, requestGuidance } from './guidance.ts';

const one = z.object({ case: CaseSchema });
const FRONT = ['agent', 'township', 'supervisor'] as const;
const GuidanceSchema = z.object({
	id: z.string(),
	sessionId: z.string(),
	caseId: z.string().nullable(),
	serviceName: z.string(),
	requestedBy: z.string(),
	requestingOrgName: z.string(),
	status: z.string(),
	createdAt: z.string(),
	escalated: z.boolean()
});

// generic in the step, so each route keeps its literal path and the web's typed client knows it
const step = <const P extends 'accept' | 'forward' | 'approve' | 'reject' | 'complete'>(
	path: P,
	roles: readonly ('agent' | 'township' | 'supervisor')[],
	summary: string
) =>
	defineRoute(roles, {
		method: 'post',
		path: `/cases/{id}/${path}`,
		tags: ['co-handling'],
		summary,
		request: {
			params: IdParam,
			body: {
				required: false,
				content: {
					'application/json': {
						schema: z.object({
							note: z.string().max(500).optional(),
							delivery: z.enum(['nearby', 'electronic']).optional(),
							resultNo: z.string().trim().min(1).max(40).optional().meta({
								description:
									'证照编号: the number of the licence issued, when approving a life event part that another part waits for'
							})
						})
					}
				}
			}
		},
		responses: {
			200: json(one, 'The case'),
			403: errorJson('Not your org unit or level'),
			409: errorJson('wrong_state')
		}
	});
const accept = step(
	'accept',
	['agent', 'township'],
	'Accept a submitted case (multi-point acceptance by level)'
);
const forward = step(
	'forward',
	['agent', 'township'],
	'Forward an accepted case to the approving department for review'
);
const approve = step('approve', ['agent', 'supervisor'], 'Approve a case in review');
const reject = step('reject', ['agent', 'supervisor'], 'Reject a case in review');
const complete = step(
	'complete',
	['agent', 'township'],
	'Hand out the result where the case was accepted (就近通办) or electronically'
);
const returnCase = defineRoute(['agent', 'supervisor'], {
	method: 'post',
	path: '/cases/{id}/return',
	tags: ['co-handling'],
	summary: 'Return for correction with field comments the citizen and the township see',
	request: {
		params: IdParam,
		body: jsonBody(
			z.object({
				comments: z.record(z.string(), z.string().min(1).max(300)),
				note: z.string().max(500).optional()
			})
		)
	},
	responses: { 200: json(one, 'Returned') }
});
const staffCases = defineRoute(FRONT, {
	method: 'get',
	path: '/staff/cases',
	tags: ['co-handling'],
	summary: 'Cases of my area: accepted here, or forwarded here for review',
	responses: {
		200: json(
			z.object({
				cases: z.array(
					z.object({
						id: z.string(),
						serviceName: z.string(),
						citizenName: z.string(),
						status: z.string(),
						receiptNo: z.string().nullable(),
						forReview: z.boolean()
					})
				)
			}),
			'Cases'
		)
	}
});
const ask = defineRoute(['township', 'agent'], {
	method: 'post',
	path: '/video-sessions/{id}/guidance',
	tags: ['co-handling'],
	summary: 'Ask the approving department for an expert to join this session (远程协助)',
	request: { params: IdParam },
	responses: {
		201: json(z.object({ request: GuidanceSchema }), 'Waiting in the pool'),
		409: errorJson('already_requested')
	}
});
const pool = defineRoute(['agent', 'supervisor'], {
	method: 'get',
	path: '/guidance',
	tags: ['co-handling'],
	summary: 'Guidance requests waiting for an expert of my org unit',
	responses: { 200: json(z.object({ requests: z.array(GuidanceSchema) }), 'Waiting requests') }
});
const take = defineRoute(['agent'], {
	method: 'post',
	path: '/guidance/{id}/accept',
	tags: ['co-handling'],
	summary: 'Take a guidance request (first to accept wins) and join its session',
	request: { params: IdParam },
	responses: {
		200: json(z.object({ sessionId: z.string(), request: GuidanceSchema }), 'Joined'),
		409: errorJson('already_taken')
	}
});
const stats = defineRoute(['supervisor'], {
	method: 'get',
	path: '/guidance/stats',
	tags: ['co-handling'],
	summary: 'Remote guidance count and minutes per requesting org unit (mine and below)',
	responses: {
		200: json(
			z.object({
				stats: z.array(
					z.object({
						orgUnitId: z.string(),
						orgUnitName: z.string(),
						count: z.number(),
						minutes: z.number()
					})
				)
			}),
			'Stats'
		)
	}
});

export function collabRoutes() {
	// the plain steps differ only in their name: the rule decides who may take which step
	return createRouter()
		.openapi(accept, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'accept',
						c.req.valid('json') ?? {}
					)
				},
				200
			)
		)
		.openapi(forward, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'forward',
						c.req.valid('json') ?? {}
					)
				},
				200
			)
		)
		.openapi(approve, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'approve',
						c.req.valid('json') ?? {}
					)
				},
				200
			)
		)
		.openapi(reject, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'reject',
						c.req.valid('json') ?? {}
					)
				},
				200
			)
		)
		.openapi(complete, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'complete',
						c.req.valid('json') ?? {}
					)
				},
				200
			)
		)
		.openapi(returnCase, async (c) =>
			c.json(
				{
					case: await advanceCase(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						'return',
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(staffCases, async (c) =>
			c.json({ cases: await casesForStaff(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(ask, async (c) =>
			c.json(
				{ request: await requestGuidance(c.var.deps, c.var.user!, c.req.valid('param').id) },
				201
			)
		)
		.openapi(pool, async (c) =>
			c.json({ requests: await guidancePool(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(take, async (c) =>
			c.json(await acceptGuidance(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		)
		.openapi(stats, async (c) =>
			c.json({ stats: await guidanceStats(c.var.deps, c.var.user!) }, 200)
		);
}
