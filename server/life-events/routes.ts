import { z } from 'zod';
import {
	LifeEventDefinition,
	LifeEventOfferSchema,
	LifeEventVersionSchema
} from '../../shared/schemas/life-events.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { latestLifeEvent, lifeEventOffers, publishLifeEvent } from './definitions.ts';
import { assignStaffDepartment, departmentOfStaff } from '../accounts/departments.ts';
import { listStaff } from '../accounts/accounts.ts';

const offers = defineRoute('public', {
	method: 'get',
	path: '/life-events',
	tags: ['life-events'],
	summary:
		'一件事一次办: every life event with its items and questions (start one with POST /cases and its theme item)',
	responses: { 200: json(z.object({ lifeEvents: z.array(LifeEventOfferSchema) }), 'Life events') }
});

const latest = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/life-events/{id}',
	tags: ['life-events'],
	summary:
		'The newest version of a life event (by its theme item): definition, union form, mapping',
	request: { params: IdParam },
	responses: {
		200: json(z.object({ lifeEvent: LifeEventVersionSchema }), 'The version'),
		404: errorJson('Not a life event')
	}
});

const publish = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/life-events/{id}/versions',
	tags: ['life-events'],
	summary:
		'Publish a new version of the life event whose theme item this is: items, questions, shared fields and materials, waits, delivery',
	request: { params: IdParam, body: jsonBody(LifeEventDefinition) },
	responses: {
		201: json(z.object({ lifeEvent: LifeEventVersionSchema }), 'Published'),
		400: errorJson('What in the definition is wrong, by its path')
	}
});

const department = defineRoute(['admin'], {
	method: 'put',
	path: '/admin/staff/{id}/department',
	tags: ['life-events'],
	summary:
		'部门: put a staff member into a department of their org unit (null: none, their whole area)',
	request: {
		params: IdParam,
		body: jsonBody(z.object({ departmentId: z.string().min(1).max(64).nullable() }))
	},
	responses: {
		200: json(z.object({ userId: z.string(), departmentId: z.string().nullable() }), 'Set'),
		404: errorJson('No such staff account in your org units')
	}
});

const staffDepartments = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/staff-departments',
	tags: ['life-events'],
	summary:
		'部门: the department each staff account works in (null: none, their whole area), for the staff list',
	responses: {
		200: json(
			z.object({
				assignments: z.array(z.object({ userId: z.string(), departmentId: z.string().nullable() }))
			}),
			'One per staff account'
		)
	}
});

export function lifeEventRoutes() {
	return createRouter()
		.openapi(offers, async (c) => c.json({ lifeEvents: await lifeEventOffers(c.var.deps) }, 200))
		.openapi(latest, async (c) =>
			c.json({ lifeEvent: await latestLifeEvent(c.var.deps, c.req.valid('param').id) }, 200)
		)
		.openapi(publish, async (c) =>
			c.json(
				{
					lifeEvent: await publishLifeEvent(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				201
			)
		)
		.openapi(staffDepartments, async (c) => {
			// one read per account, one after the other: the admin's staff list, tens of accounts
			const assignments = [];
			for (const staff of await listStaff(c.var.deps))
				assignments.push({
					userId: staff.id,
					departmentId: await departmentOfStaff(c.var.deps, staff)
				});
			return c.json({ assignments }, 200);
		})
		.openapi(department, async (c) =>
			c.json(
				await assignStaffDepartment(
					c.var.deps,
					c.var.user!,
					c.req.valid('param').id,
					c.req.valid('json').departmentId
				),
				200
			)
		);
}
