import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { loadOrgUnits } from '$lib/org-unit.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [staff, orgUnits] = await Promise.all([
		callApi(fetch, (api) => api.admin.staff.$get()),
		loadOrgUnits(fetch)
	]);
	return { staff: staff.ok ? staff.data.staff : [], orgUnits };
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
