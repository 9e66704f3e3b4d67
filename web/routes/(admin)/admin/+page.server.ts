import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { loadOrgUnits } from '$lib/org-unit.ts';
import type { User } from '$shared/schemas/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [staff, orgUnits] = await Promise.all([
		callApi<{ staff: User[] }>(fetch, '/api/admin/staff'),
		loadOrgUnits(fetch)
	]);
	return { staff: staff.ok ? staff.data.staff : [], orgUnits };
};

export const actions: Actions = {
	createStaff: async ({ request, fetch }) => {
		const form = await request.formData();
		const values = {
			username: String(form.get('username') ?? ''),
			name: String(form.get('name') ?? ''),
			role: String(form.get('role') ?? ''),
			orgUnitId: String(form.get('orgUnitId') ?? '')
		};
		const res = await callApi<{ user: User }>(fetch, '/api/admin/staff', {
			body: { ...values, password: String(form.get('password') ?? '') }
		});
		if (!res.ok) return fail(res.status, { values, error: res.error, created: null });
		return { values: null, error: null, created: res.data.user.username };
	}
};
