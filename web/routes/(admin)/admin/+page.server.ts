import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { loadOrgUnits } from '$lib/org-unit.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [staff, orgUnits, departments, assignments] = await Promise.all([
		callApi(fetch, (api) => api.admin.staff.$get()),
		loadOrgUnits(fetch),
		callApi(fetch, (api) => api.departments.$get()),
		callApi(fetch, (api) => api.admin['staff-departments'].$get())
	]);
	return {
		staff: staff.ok ? staff.data.staff : [],
		orgUnits,
		departments: departments.ok ? departments.data.departments : [],
		/** 部门: staff id → the department they work in */
		departmentOf: Object.fromEntries(
			(assignments.ok ? assignments.data.assignments : []).map((a) => [a.userId, a.departmentId])
		)
	};
};

/** 停用 / 启用 a staff account; the list reloads with its new state. */
async function setDisabled(request: Request, fetch: typeof globalThis.fetch, disabled: boolean) {
	const id = String((await request.formData()).get('id') ?? '');
	const res = await callApi(fetch, (api) =>
		disabled
			? api.admin.staff[':id'].disable.$post({ param: { id } })
			: api.admin.staff[':id'].enable.$post({ param: { id } })
	);
	if (!res.ok) return fail(res.status, { values: null, error: res.error, created: null });
	return { values: null, error: null, created: null };
}

export const actions: Actions = {
	disable: ({ request, fetch }) => setDisabled(request, fetch, true),
	enable: ({ request, fetch }) => setDisabled(request, fetch, false),
	/** 部门: a department of the member's org unit, or none (their whole area). */
	setDepartment: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const departmentId = String(form.get('departmentId') ?? '') || null;
		const res = await callApi(fetch, (api) =>
			api.admin.staff[':id'].department.$put({ param: { id }, json: { departmentId } })
		);
		if (!res.ok)
			return fail(res.status, {
				values: null,
				error: null,
				created: null,
				department: { id, error: res.error }
			});
		return { values: null, error: null, created: null, department: { id, error: null } };
	},
	createStaff: async ({ request, fetch }) => {
		const form = await request.formData();
		const values = {
			username: String(form.get('username') ?? ''),
			name: String(form.get('name') ?? ''),
			role: String(form.get('role') ?? ''),
			orgUnitId: String(form.get('orgUnitId') ?? '')
		};
		const res = await callApi(fetch, (api) =>
			api.admin.staff.$post({
				json: {
					...values,
					role: submitted(values.role),
					password: String(form.get('password') ?? '')
				}
			})
		);
		if (!res.ok) return fail(res.status, { values, error: res.error, created: null });
		return { values: null, error: null, created: res.data.user.username };
	}
};
