import { z } from 'zod';
import { OrgUnitSchema, StaffCreateInput, UserSchema } from '../../shared/schemas/auth.ts';
import { STAFF_ROLES } from '../../shared/roles.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { createStaff, listOrgUnits, listStaff } from './accounts.ts';

const orgUnits = defineRoute(STAFF_ROLES, {
	method: 'get',
	path: '/org-units',
	tags: ['accounts'],
	summary: 'The org unit tree (city > district > township > community)',
	responses: { 200: json(z.object({ orgUnits: z.array(OrgUnitSchema) }), 'All org units') }
});

const staffList = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/staff',
	tags: ['accounts'],
	summary: 'Staff accounts',
	responses: { 200: json(z.object({ staff: z.array(UserSchema) }), 'All staff accounts') }
});

const staffCreate = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/staff',
	tags: ['accounts'],
	summary: 'Create a staff account in an org unit',
	request: { body: jsonBody(StaffCreateInput) },
	responses: {
		201: json(z.object({ user: UserSchema }), 'Created'),
		409: errorJson('Username already in use')
	}
});

export function accountRoutes() {
	return createRouter()
		.openapi(orgUnits, (c) => c.json({ orgUnits: listOrgUnits(c.var.deps) }, 200))
		.openapi(staffList, (c) => c.json({ staff: listStaff(c.var.deps) }, 200))
		.openapi(staffCreate, async (c) =>
			c.json({ user: await createStaff(c.var.deps, c.req.valid('json'), c.var.user!) }, 201)
		);
}
