// 停用 / 启用 staff accounts (issue 17, part of 2): an admin disables a staff account of their
// org units; its sessions end at once, sign-in is refused, enabling lets it in again; audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newStaff } from './builders.ts';

let h: Harness;
let orgs: { id: string; code: string }[];
beforeEach(async () => {
	h = await createHarness();
	const admin = await h.loginAs('admin');
	orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json()).orgUnits;
});
afterEach(() => h.close());
const org = (code: string) => orgs.find((o) => o.code === code)!.id;

const audited = async (action: string, userId: string) =>
	(await h.store.get<{ n: number }>(
		'SELECT count(*) AS n FROM audit_log WHERE action = ? AND target_id = ?',
		[action, userId]
	))!.n;

describe('disabling staff', () => {
	it('ends the account’s sessions at once and refuses sign-in until enabled again; audited', async () => {
		const token = await newStaff(h, {
			username: 'stop-agent',
			role: 'agent',
			orgUnitId: org('370281')
		});
		const me = (await (await h.request('GET', '/api/me', { token })).json()).user;
		const admin = await h.loginAs('admin');
		const off = await h.request('POST', `/api/admin/staff/${me.id}/disable`, { token: admin });
		expect(off.status).toBe(200);
		expect((await off.json()).staff).toMatchObject({ id: me.id, disabled: true });
		// the session it had is gone, not merely refused on next login
		expect((await h.request('GET', '/api/me', { token })).status).toBe(401);
		expect(
			(await h.store.get<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [
				me.id
			]))!.n
		).toBe(0);
		const login = () =>
			h.request('POST', '/api/auth/login', {
				body: { login: 'stop-agent', password: 'Staff#2026' },
				ip: '192.0.2.31'
			});
		expect((await login()).status).toBe(401);
		const listed = (await (await h.request('GET', '/api/admin/staff', { token: admin })).json())
			.staff as { id: string; disabled: boolean }[];
		expect(listed.find((s) => s.id === me.id)?.disabled).toBe(true);
		expect(await audited('account.disabled', me.id)).toBe(1);

		const on = await h.request('POST', `/api/admin/staff/${me.id}/enable`, { token: admin });
		expect((await on.json()).staff.disabled).toBe(false);
		expect((await login()).status).toBe(200);
		expect(await audited('account.enabled', me.id)).toBe(1);
		// enabling an enabled account changes and records nothing
		await h.request('POST', `/api/admin/staff/${me.id}/enable`, { token: admin });
		expect(await audited('account.enabled', me.id)).toBe(1);
	});

	it('is for admins of the account’s org units, never their own account, never a citizen', async () => {
		const admin = await h.loginAs('admin');
		const adminId = (await (await h.request('GET', '/api/me', { token: admin })).json()).user.id;
		const own = await h.request('POST', `/api/admin/staff/${adminId}/disable`, { token: admin });
		expect(own.status).toBe(409);
		expect((await own.json()).error.code).toBe('own_account');
		// a district admin may not touch the other district's staff, nor a citizen
		const districtAdmin = await newStaff(h, {
			username: 'jz-admin',
			role: 'admin',
			orgUnitId: org('370281')
		});
		const other = await newStaff(h, {
			username: 'lc-agent',
			role: 'agent',
			orgUnitId: org('370213')
		});
		const otherId = (await (await h.request('GET', '/api/me', { token: other })).json()).user.id;
		const res = await h.request('POST', `/api/admin/staff/${otherId}/disable`, {
			token: districtAdmin
		});
		expect(res.status).toBe(404);
		expect((await h.request('GET', '/api/me', { token: other })).status).toBe(200);
		const citizen = await h.loginAs('citizen');
		const citizenId = (await (await h.request('GET', '/api/me', { token: citizen })).json()).user
			.id;
		expect(
			(await h.request('POST', `/api/admin/staff/${citizenId}/disable`, { token: admin })).status
		).toBe(404);
		// other roles: 403; no session: 401
		const agent = await h.loginAs('agent');
		expect(
			(await h.request('POST', `/api/admin/staff/${otherId}/disable`, { token: agent })).status
		).toBe(403);
		expect((await h.request('POST', `/api/admin/staff/${otherId}/disable`)).status).toBe(401);
	});
});
