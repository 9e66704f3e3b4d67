import { z } from 'zod';
import {
	OrgUnitContactInput,
	OrgUnitContactSchema,
	OrgUnitSchema,
	StaffCreateInput,
	StaffMemberSchema,
	UserSchema
} from '../../shared/schemas/auth.ts';
import { STAFF_ROLES } from '../../shared/roles.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import {
	createStaff,
	listOrgUnitContacts,
	listOrgUnits,
	listStaff,
	setOrgUnitContact,
	setStaffDisabled
} from './accounts.ts';

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
	responses: {
		200: json(z.object({ staff: z.array(StaffMemberSchema) }), 'All staff accounts')
	}
});

const staffAccess = <const P extends 'disable' | 'enable'>(path: P, summary: string) =>
	defineRoute(['admin'], {
		method: 'post',
		path: `/admin/staff/{id}/${path}`,
		tags: ['accounts'],
		summary,
		request: { params: IdParam },
		responses: {
			200: json(z.object({ staff: StaffMemberSchema }), 'The account'),
			404: errorJson('No such staff account in your org units'),
			409: errorJson('own_account')
		}
	});
const staffDisable = staffAccess(
	'disable',
	'停用: disable a staff account of your org units; its sessions end at once (audited)'
);
const staffEnable = staffAccess('enable', '启用: enable a disabled staff account again (audited)');

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

const orgUnitContacts = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/org-units',
	tags: ['accounts'],
	summary: "The admin's org units (own and below) with address, phone and opening hours",
	responses: {
		200: json(z.object({ orgUnits: z.array(OrgUnitContactSchema) }), 'Org units')
	}
});

const orgUnitContactSet = defineRoute(['admin'], {
	method: 'put',
	path: '/admin/org-units/{id}/contact',
	tags: ['accounts'],
	summary:
		"Set an org unit's address, phone and opening hours (printed on the 受理通知书); empty clears",
	request: { params: IdParam, body: jsonBody(OrgUnitContactInput) },
	responses: {
		200: json(z.object({ orgUnit: OrgUnitContactSchema }), 'Saved'),
		404: errorJson('No such org unit, or outside your own')
	}
});

export function accountRoutes() {
	return createRouter()
		.openapi(orgUnits, async (c) => c.json({ orgUnits: await listOrgUnits(c.var.deps) }, 200))
		.openapi(staffList, async (c) => c.json({ staff: await listStaff(c.var.deps) }, 200))
		.openapi(staffDisable, async (c) =>
			c.json(
				{ staff: await setStaffDisabled(c.var.deps, c.var.user!, c.req.valid('param').id, true) },
				200
			)
		)
		.openapi(staffEnable, async (c) =>
			c.json(
				{ staff: await setStaffDisabled(c.var.deps, c.var.user!, c.req.valid('param').id, false) },
				200
			)
		)
		.openapi(staffCreate, async (c) =>
			c.json({ user: await createStaff(c.var.deps, c.req.valid('json'), c.var.user!) }, 201)
		)
		.openapi(orgUnitContacts, async (c) =>
			c.json({ orgUnits: await listOrgUnitContacts(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(orgUnitContactSet, async (c) =>
			c.json(
				{
					orgUnit: await setOrgUnitContact(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		);
}
