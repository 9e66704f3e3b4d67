import { error, fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import { loadOrgUnits } from '$lib/org-unit.ts';
import type { ConsentInput } from '$shared/schemas/home-visits.ts';
import type { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';

/** The visits a grid worker is still working on: taken by them, the video not yet started. */
const IN_HAND = new Set(['accepted', 'scheduled']);
/** How many of the started visits show their ticket's state (the rest: name and time). */
const FOLLOWED = 5;

export const load: PageServerLoad = async ({ fetch, parent, depends }) => {
	depends('app:grid');
	const { user } = await parent();
	const [open, all, orgUnits] = await Promise.all([
		callApi(fetch, (api) => api['home-visits'].$get({ query: { status: 'open' } })),
		callApi(fetch, (api) => api['home-visits'].$get({ query: {} })),
		loadOrgUnits(fetch)
	]);
	if (!open.ok) error(open.status, { message: open.error.message, code: open.error.code });
	if (!all.ok) error(all.status, { message: all.error.message, code: all.error.code });
	const mine = all.data.visits.filter((v) => v.gridWorker?.id === user.id);
	// newest first: the one just started is at the top; the latest few with their ticket as it
	// is now (its number, its state, the session to join), so a reloaded tablet still follows them
	const started = await Promise.all(
		mine
			.filter((v) => v.status === 'started')
			.reverse()
			.map(async (v, i) => {
				const ticketId = v.ticketId;
				if (!ticketId || i >= FOLLOWED) return { ...v, ticket: null };
				const res = await callApi(fetch, (api) =>
					api.queue.tickets[':id'].$get({ param: { id: ticketId } })
				);
				return { ...v, ticket: res.ok ? res.data.ticket : null };
			})
	);
	return {
		community: orgUnits.find((o) => o.id === user.orgUnitId)?.name ?? '',
		open: open.data.visits,
		inHand: mine.filter((v) => IN_HAND.has(v.status)),
		started
	};
};

function visitIdOf(form: FormData): string {
	return String(form.get('visitId') ?? '');
}

export const actions: Actions = {
	accept: async ({ fetch, request }) => {
		const visitId = visitIdOf(await request.formData());
		const res = await callApi(fetch, (api) =>
			api['home-visits'][':id'].accept.$post({ param: { id: visitId } })
		);
		if (!res.ok) return fail(res.status, { error: res.error, visitId, done: null });
		return { error: null, visitId, done: 'accepted' as const };
	},
	schedule: async ({ fetch, request }) => {
		const form = await request.formData();
		const visitId = visitIdOf(form);
		const local = String(form.get('at') ?? '');
		// datetime-local gives the wall clock; the hall's offset comes from the API's own times
		const offset = String(form.get('offset') ?? '');
		if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(local))
			return fail(400, {
				error: { code: 'validation_failed', message: 'at', fields: { at: 'is required' } },
				visitId,
				done: null
			});
		const res = await callApi(fetch, (api) =>
			api['home-visits'][':id'].schedule.$post({
				param: { id: visitId },
				json: { at: `${local}:00${offset}` }
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, visitId, done: null });
		return { error: null, visitId, done: 'scheduled' as const };
	},
	consent: async ({ fetch, request }) => {
		const form = await request.formData();
		const visitId = visitIdOf(form);
		const signature = String(form.get('signature') ?? '');
		const res = await callApi(fetch, (api) =>
			api['home-visits'][':id'].consent.$post({
				param: { id: visitId },
				json: {
					method: submitted<z.input<typeof ConsentInput>['method']>(form.get('method')),
					...(signature ? { signature } : {})
				}
			})
		);
		if (!res.ok) return fail(res.status, { error: res.error, visitId, done: null });
		return { error: null, visitId, done: 'consented' as const };
	},
	start: async ({ fetch, request }) => {
		const visitId = visitIdOf(await request.formData());
		// a tablet in someone's home is often on a weak connection: the write lands once
		const res = await callApi(
			fetch,
			(api) => api['home-visits'][':id']['start-ticket'].$post({ param: { id: visitId } }),
			{ retry: true }
		);
		if (!res.ok) return fail(res.status, { error: res.error, visitId, done: null });
		const { ticket } = res.data;
		return {
			error: null,
			visitId,
			done: 'started' as const,
			ticket: {
				id: ticket.id,
				code: ticket.code,
				hallId: ticket.hallId,
				hallName: ticket.hallName
			}
		};
	}
};
