import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, createHarness, type Harness } from './harness.ts';
import { signInNewStaff } from './builders.ts';

// Every test on a fresh hall: the demo staff only.
let h: Harness;
let admin: string;
let orgs: { id: string; code: string; level: string }[];
beforeEach(async () => {
	h = await createHarness();
	admin = await h.loginAs('admin');
	orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json()).orgUnits;
});
afterEach(() => h.close());

const org = (code: string) => orgs.find((o) => o.code === code)!.id;

describe('staff accounts', () => {
	it('lists the org unit tree city > district > township > community', () => {
		expect(orgs.map((o) => o.level)).toEqual(
			expect.arrayContaining(['city', 'district', 'township', 'community'])
		);
		const township = orgs.find((o) => o.code === '370281001')!;
		expect(
			orgs.find((o) => o.id === (township as unknown as { parentId: string }).parentId)?.code
		).toBe('370281');
	});

	it('an admin creates a staff account that can then sign in and lands in its org unit', async () => {
		const res = await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'Zhou.Wei',
				name: '周伟',
				role: 'township',
				orgUnitId: org('370281002'),
				password: 'Start#2026'
			}
		});
		expect(res.status).toBe(201);
		expect((await res.json()).user).toMatchObject({
			username: 'zhou.wei',
			role: 'township',
			orgUnitId: org('370281002')
		});
		const login = await h.request('POST', '/api/auth/login', {
			body: { login: 'zhou.wei', password: 'Start#2026' }
		});
		expect(login.status).toBe(200);
		const list = await (await h.request('GET', '/api/admin/staff', { token: admin })).json();
		expect(list.staff.map((s: { username: string }) => s.username)).toContain('zhou.wei');
	});

	it('refuses a duplicate username (any case) with 409', async () => {
		const res = await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'AGENT',
				name: '重名',
				role: 'agent',
				orgUnitId: org('370281'),
				password: 'Start#2026'
			}
		});
		expect(res.status).toBe(409);
		expect((await res.json()).error).toMatchObject({
			code: 'username_taken',
			fields: { username: expect.any(String) }
		});
	});

	it('refuses a role that does not fit the org level, or an unknown org unit, naming orgUnitId', async () => {
		const before = await count(h.store, 'users');
		for (const body of [
			{
				username: 'wrong.level',
				name: '错层级',
				role: 'township',
				orgUnitId: org('370281'),
				password: 'Start#2026'
			},
			{
				username: 'no.org',
				name: '无单位',
				role: 'agent',
				orgUnitId: 'missing',
				password: 'Start#2026'
			}
		]) {
			const res = await h.request('POST', '/api/admin/staff', { token: admin, body });
			expect(res.status).toBe(400);
			expect(Object.keys((await res.json()).error.fields)).toEqual(['orgUnitId']);
		}
		expect(await count(h.store, 'users')).toBe(before);
	});

	it('keeps a district admin inside its own district', async () => {
		await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: 'jz.admin',
				name: '胶州管理员',
				role: 'admin',
				orgUnitId: org('370281'),
				password: 'Admin#2026'
			}
		});
		const district = await signInNewStaff(h, 'jz.admin', 'Admin#2026');
		const outside = await h.request('POST', '/api/admin/staff', {
			token: district,
			body: {
				username: 'lc.agent',
				name: '李沧坐席',
				role: 'agent',
				orgUnitId: org('370213'),
				password: 'Agent#2026'
			}
		});
		expect(outside.status).toBe(400);
		expect((await outside.json()).error.fields).toEqual({ orgUnitId: 'is outside your org unit' });
		const inside = await h.request('POST', '/api/admin/staff', {
			token: district,
			body: {
				username: 'fa.staff',
				name: '阜安人员',
				role: 'township',
				orgUnitId: org('370281001'),
				password: 'Staff#2026'
			}
		});
		expect(inside.status).toBe(201);
	});

	it('refuses a citizen role and a bad username with 400', async () => {
		const res = await h.request('POST', '/api/admin/staff', {
			token: admin,
			body: {
				username: '1x',
				name: '',
				role: 'citizen',
				orgUnitId: org('370281'),
				password: 'short'
			}
		});
		expect(res.status).toBe(400);
		expect(Object.keys((await res.json()).error.fields).sort()).toEqual([
			'name',
			'password',
			'role',
			'username'
		]);
	});
});
