import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { loadOrgUnits } from '$lib/org-unit.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
	const [schedules, closures, items, orgUnits] = await Promise.all([
		callApi(fetch, (api) => api.admin.schedules.$get()),
		callApi(fetch, (api) => api.admin.closures.$get()),
		callApi(fetch, (api) => api.services.$get({ query: {} })),
		loadOrgUnits(fetch)
	]);
	return {
		schedules: schedules.ok ? schedules.data.schedules : [],
		closures: closures.ok ? closures.data.closures : [],
		items: items.ok ? items.data.items : [],
		orgUnits
	};
};

const str = (form: FormData, key: string) => String(form.get(key) ?? '').trim();

export const actions: Actions = {
	createSchedule: async ({ request, fetch }) => {
		const form = await request.formData();
		const ranges = (['morning', 'afternoon'] as const)
			.map((part) => [str(form, `${part}From`), str(form, `${part}To`)] as [string, string])
			.filter(([a, b]) => a && b);
		const hours = Object.fromEntries(form.getAll('weekday').map((d) => [String(d), ranges]));
		const res = await callApi(fetch, (api) =>
			api.admin.schedules.$post({
				json: {
					orgUnitId: str(form, 'orgUnitId'),
					serviceId: str(form, 'serviceId'),
					channel: submitted(str(form, 'channel')),
					slotMinutes: Number(str(form, 'slotMinutes')),
					capacity: Number(str(form, 'capacity')),
					cutoffMinutes: Number(str(form, 'cutoffMinutes') || 60),
					hours: submitted(hours)
				}
			})
		);
		if (!res.ok)
			return fail(res.status, {
				scheduleError: res.error,
				closureError: null,
				saved: false,
				closed: null
			});
		return { scheduleError: null, closureError: null, saved: true, closed: null };
	},
	closeDay: async ({ request, fetch }) => {
		const form = await request.formData();
		const serviceId = str(form, 'serviceId');
		const res = await callApi(fetch, (api) =>
			api.admin.closures.$post({
				json: {
					orgUnitId: str(form, 'orgUnitId'),
					date: str(form, 'date'),
					kind: submitted(str(form, 'kind')),
					notice: str(form, 'notice'),
					...(serviceId ? { serviceId } : {})
				}
			})
		);
		if (!res.ok)
			return fail(res.status, {
				closureError: res.error,
				scheduleError: null,
				saved: false,
				closed: null
			});
		return { closureError: null, scheduleError: null, saved: false, closed: res.data.closure };
	}
};
