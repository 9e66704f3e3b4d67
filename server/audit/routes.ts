import { z } from 'zod';
import { AuditPage, AuditQuery } from '../../shared/schemas/audit.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json } from '../http/router.ts';
import { auditCsv, searchAudit } from './search.ts';

const search = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/audit',
	tags: ['audit'],
	summary:
		'The audit log, newest first, by person, action (or action group) and hall-local dates; city-level admins only',
	request: { query: AuditQuery },
	responses: {
		200: json(AuditPage, 'A page of entries'),
		403: errorJson('Not a city-level admin')
	}
});

const csv = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/audit.csv',
	tags: ['audit'],
	summary: 'The same search as CSV (UTF-8 with BOM); the export is itself audited',
	request: { query: AuditQuery },
	responses: {
		200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
		403: errorJson('Not a city-level admin')
	}
});

export function auditRoutes() {
	return createRouter()
		.openapi(search, async (c) =>
			c.json(await searchAudit(c.var.deps, c.var.user!, c.req.valid('query')), 200)
		)
		.openapi(csv, async (c) => {
			const file = await auditCsv(c.var.deps, c.var.user!, c.req.valid('query'));
			c.header('content-type', 'text/csv; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		});
}
