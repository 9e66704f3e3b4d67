// 部门 on the admin's staff list: GET /api/admin/staff-departments says which department each
// staff account works in, so the page can show it and offer the org unit's other departments.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { departmentAgent } from './life-event-builders.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

type Assignment = { userId: string; departmentId: string | null };

async function assignments(token: string) {
	const res = await h.request('GET', '/api/admin/staff-departments', { token });
	return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

async function departmentId(code: string): Promise<string> {
	const res = await h.request('GET', '/api/departments');
	const { departments } = (await res.json()) as { departments: { id: string; code: string }[] };
	return departments.find((d) => d.code === code)!.id;
}

describe('staff departments', () => {
	it('lists every staff account with its department, null for those without one', async () => {
		const agent = await departmentAgent(h, 'JZ-XZSP');
		const me = (await (await h.request('GET', '/api/me', { token: agent })).json()).user;
		const admin = await h.loginAs('admin');
		const staff = (await (await h.request('GET', '/api/admin/staff', { token: admin })).json())
			.staff as { id: string; username: string }[];

		const res = await assignments(admin);
		expect(res.status).toBe(200);
		const list = res.body.assignments as Assignment[];
		expect(list.map((a) => a.userId).sort()).toEqual(staff.map((s) => s.id).sort());
		expect(list.find((a) => a.userId === me.id)!.departmentId).toBe(await departmentId('JZ-XZSP'));
		const adminId = staff.find((s) => s.username === 'admin')!.id;
		expect(list.find((a) => a.userId === adminId)!.departmentId).toBeNull();

		// taken out of the department: none again
		const cleared = await h.request('PUT', `/api/admin/staff/${me.id}/department`, {
			token: admin,
			body: { departmentId: null }
		});
		expect(cleared.status).toBe(200);
		const after = (await assignments(admin)).body.assignments as Assignment[];
		expect(after.find((a) => a.userId === me.id)!.departmentId).toBeNull();
	});

	it('is for admins only', async () => {
		const agent = await departmentAgent(h, 'JZ-XZSP');
		expect((await assignments(agent)).status).toBe(403);
		expect((await h.request('GET', '/api/admin/staff-departments')).status).toBe(401);
	});
});
