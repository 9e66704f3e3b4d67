// Every route states who may call it (x-access in the OpenAPI document). This walks the whole
// document: each guarded operation must answer 401 without a session and 403 to every role it
// does not list, so a new route cannot forget its guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
const tokens = {} as Record<Role, string>;
const operations: { method: string; path: string; access: 'public' | 'signed-in' | Role[] }[] = [];

beforeAll(async () => {
	h = await createHarness();
	for (const role of ROLES) tokens[role] = await h.loginAs(role);
	const doc = await (await h.request('GET', '/api/openapi.json')).json();
	for (const [path, ops] of Object.entries(
		doc.paths as Record<string, Record<string, { 'x-access': never }>>
	))
		for (const [method, op] of Object.entries(ops))
			operations.push({ method: method.toUpperCase(), path, access: op['x-access'] });
});
afterAll(() => h.close());

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'no-such-id');

describe('route access', () => {
	it('every operation in the OpenAPI document declares its access', () => {
		expect(operations.length).toBeGreaterThanOrEqual(8);
		for (const op of operations) expect(op.access, `${op.method} ${op.path}`).toBeDefined();
	});

	it('guarded operations answer 401 without a session', async () => {
		for (const op of operations.filter((o) => o.access !== 'public')) {
			const res = await h.request(op.method, concrete(op.path), {
				body: op.method === 'GET' ? undefined : {}
			});
			expect(res.status, `${op.method} ${op.path}`).toBe(401);
			expect((await res.json()).error.code).toBe('unauthenticated');
		}
	});

	it('role-limited operations answer 403 to every other role', async () => {
		let checked = 0;
		for (const op of operations.filter((o) => Array.isArray(o.access))) {
			for (const role of ROLES.filter((r) => !(op.access as Role[]).includes(r))) {
				const res = await h.request(op.method, concrete(op.path), {
					token: tokens[role],
					body: op.method === 'GET' ? undefined : {}
				});
				expect(res.status, `${role} → ${op.method} ${op.path}`).toBe(403);
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(0);
	});

	it('a citizen calling a staff route gets 403, an admin gets through', async () => {
		expect((await h.request('GET', '/api/admin/staff', { token: tokens.citizen })).status).toBe(
			403
		);
		expect((await h.request('GET', '/api/org-units', { token: tokens.citizen })).status).toBe(403);
		expect((await h.request('GET', '/api/admin/staff', { token: tokens.admin })).status).toBe(200);
	});

	it('answers unknown API paths with a JSON 404', async () => {
		const res = await h.request('GET', '/api/no/such/thing');
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect((await res.json()).error.code).toBe('not_found');
	});
});
