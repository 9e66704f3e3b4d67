import { error, fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { requireRole } from '$lib/guard.ts';
import type { Appointment, Day, Slot, WaitlistEntry } from '$shared/schemas/booking.ts';
import type { Channel, ServiceItem } from '$shared/schemas/catalog.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
	requireRole(locals, url, ['citizen']);
	const item = await callApi<ServiceItem>(fetch, `/api/services/${encodeURIComponent(params.id)}`);
	if (!item.ok) error(item.status === 404 ? 404 : 500, { message: item.error.message });
	const channels = item.data.channels;
	const requested = url.searchParams.get('channel') as Channel | null;
	const channel: Channel = requested && channels.includes(requested) ? requested : channels[0];

	const days = await callApi<{ days: Day[] }>(
		fetch,
		`/api/services/${item.data.id}/days?channel=${channel}`
	);
	const dayList = days.ok ? days.data.days : [];
	const requestedDate = url.searchParams.get('date');
	const date =
		dayList.find((d) => d.date === requestedDate)?.date ??
		dayList.find((d) => d.remaining > 0)?.date ??
		dayList[0]?.date;
	const slots = date
		? await callApi<{ slots: Slot[]; closures: { notice: string }[] }>(
				fetch,
				`/api/services/${item.data.id}/slots?date=${date}&channel=${channel}`
			)
		: null;
	const slotList = slots?.ok ? slots.data.slots : [];
	const selected =
		slotList.find((s) => s.id === url.searchParams.get('slot') && s.bookable) ?? null;

	const rescheduleId = url.searchParams.get('reschedule');
	const current = rescheduleId
		? await callApi<{ appointment: Appointment }>(
				fetch,
				`/api/appointments/${encodeURIComponent(rescheduleId)}`
			)
		: null;

	return {
		item: item.data,
		channel,
		days: dayList,
		date,
		slots: slotList,
		closures: slots?.ok ? slots.data.closures : [],
		selected,
		reschedule: current?.ok ? current.data.appointment : null,
		// one key per rendered confirmation: a double submit books once
		idempotencyKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	book: async ({ request, fetch, params }) => {
		const form = await request.formData();
		const slotId = String(form.get('slotId') ?? '');
		const res = await callApi<{ appointment: Appointment }>(fetch, '/api/appointments', {
			body: { slotId, serviceId: params.id, channel: String(form.get('channel') ?? '') },
			headers: { 'idempotency-key': String(form.get('idempotencyKey') ?? '') }
		});
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		redirect(303, `/my/appointments?booked=${res.data.appointment.id}`);
	},
	reschedule: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = String(form.get('appointmentId') ?? '');
		const res = await callApi<{ appointment: Appointment }>(
			fetch,
			`/api/appointments/${encodeURIComponent(id)}/reschedule`,
			{
				body: { slotId: String(form.get('slotId') ?? '') }
			}
		);
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		redirect(303, `/my/appointments?booked=${res.data.appointment.id}`);
	},
	waitlist: async ({ request, fetch, params }) => {
		const form = await request.formData();
		const res = await callApi<{ entry: WaitlistEntry }>(fetch, '/api/waitlist', {
			body: {
				slotId: String(form.get('slotId') ?? ''),
				serviceId: params.id,
				channel: String(form.get('channel') ?? ''),
				autoBook: form.get('autoBook') === 'on'
			}
		});
		if (!res.ok) return fail(res.status, { error: res.error, waitlisted: null });
		return { error: null, waitlisted: res.data.entry.position };
	}
};
