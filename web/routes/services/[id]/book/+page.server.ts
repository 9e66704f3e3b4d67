import { error, fail, redirect } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { requireRole } from '$lib/guard.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
	requireRole(locals, url, ['citizen']);
	const item = await callApi(fetch, (api) =>
		api.services[':id'].$get({ param: { id: params.id } })
	);
	if (!item.ok) error(item.status === 404 ? 404 : 500, { message: item.error.message });
	const channels = item.data.channels;
	const requested = url.searchParams.get('channel');
	const channel = channels.find((c) => c === requested) ?? channels[0];

	// where to book: one hall of those with a schedule (?hall=), or all of them
	const requestedHall = url.searchParams.get('hall');
	const hallQuery = requestedHall ? { hallId: requestedHall } : {};
	const days = await callApi(fetch, (api) =>
		api.services[':id'].days.$get({
			param: { id: item.data.id },
			query: { channel, ...hallQuery }
		})
	);
	const dayList = days.ok ? days.data.days : [];
	const halls = days.ok ? days.data.halls : [];
	const hall = halls.find((h) => h.id === requestedHall)?.id ?? null;

	const rescheduleId = url.searchParams.get('reschedule');
	const current = rescheduleId
		? await callApi(fetch, (api) => api.appointments[':id'].$get({ param: { id: rescheduleId } }))
		: null;
	const reschedule = current?.ok ? current.data.appointment : null;

	// a reschedule opens on the booked day, so the citizen starts from what they have
	const requestedDate = url.searchParams.get('date') ?? reschedule?.date;
	const date =
		dayList.find((d) => d.date === requestedDate)?.date ??
		dayList.find((d) => d.remaining > 0)?.date ??
		dayList[0]?.date;
	const slots = date
		? await callApi(fetch, (api) =>
				api.services[':id'].slots.$get({
					param: { id: item.data.id },
					query: { date, channel, ...hallQuery }
				})
			)
		: null;
	const slotList = slots?.ok ? slots.data.slots : [];
	const selected =
		slotList.find((s) => s.id === url.searchParams.get('slot') && s.bookable) ?? null;

	return {
		item: item.data,
		channel,
		halls,
		hall,
		days: dayList,
		date,
		slots: slotList,
		closures: slots?.ok ? slots.data.closures : [],
		selected,
		reschedule,
		// one key per rendered confirmation: a double submit books once
		idempotencyKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	book: async ({ request, fetch, params }) => {
		const form = await request.formData();
		const slotId = String(form.get('slotId') ?? '');
		const res = await callApi(fetch, (api) =>
			api.appointments.$post({
				json: {
					slotId,
					serviceId: params.id,
					channel: submitted(String(form.get('channel') ?? ''))
				},
				header: { 'idempotency-key': String(form.get('idempotencyKey') ?? '') }
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		redirect(303, `/my/appointments?booked=${res.data.appointment.id}`);
	},
	reschedule: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = String(form.get('appointmentId') ?? '');
		const res = await callApi(fetch, (api) =>
			api.appointments[':id'].reschedule.$post({
				param: { id },
				json: { slotId: String(form.get('slotId') ?? '') }
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		redirect(303, `/my/appointments?booked=${res.data.appointment.id}`);
	},
	waitlist: async ({ request, fetch, params }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.waitlist.$post({
				json: {
					slotId: String(form.get('slotId') ?? ''),
					serviceId: params.id,
					channel: submitted(String(form.get('channel') ?? '')),
					autoBook: form.get('autoBook') === 'on'
				}
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		return { error: null, waitlisted: res.data.entry.position };
	}
};
