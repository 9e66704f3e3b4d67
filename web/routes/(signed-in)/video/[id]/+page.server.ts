import { error, fail, redirect } from '@sveltejs/kit';
import { callApi, type ApiResult } from '$lib/api.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends, locals }) => {
	depends('app:session');
	const res = await callApi(fetch, (api) =>
		api['video-sessions'][':id'].$get({ param: { id: params.id } })
	);
	if (!res.ok)
		error(res.status === 404 ? 404 : res.status === 403 ? 403 : 500, {
			message: res.error.message
		});
	const session = res.data.session;
	const host = session.me.kind === 'host';
	const [invitable, desks] = await Promise.all([
		host && session.status === 'open'
			? callApi(fetch, (api) =>
					api['video-sessions'][':id'].invitable.$get({ param: { id: params.id } })
				)
			: null,
		// the host's workspace shows the ticket being served and offers 办结 / 下一位
		host ? callApi(fetch, (api) => api.desks.$get()) : null
	]);
	const desk = desks?.ok
		? (desks.data.desks.find((d) => d.servedBy?.id === locals.user?.id) ?? null)
		: null;
	const ticket = desk?.current && session.ticketId === desk.current.id ? desk.current : null;
	const conversation = ticket
		? await callApi(fetch, (api) =>
				api.queue.tickets[':id'].conversation.$get({ param: { id: ticket.id } })
			)
		: null;
	return {
		session,
		invitable: invitable?.ok ? invitable.data.users : [],
		desk: desk ? { id: desk.id, name: desk.name } : null,
		ticket,
		conversation: conversation?.ok ? conversation.data.conversation : null,
		home: locals.user ? ROLE_HOME[locals.user.role] : '/'
	};
};

/** A host's action answered: nothing more to show than success or the error. */
const done = (res: ApiResult<unknown>) =>
	res.ok ? { error: null } : fail(res.status, { error: res.error });
const userIdOf = async (request: Request) => String((await request.formData()).get('userId') ?? '');

export const actions: Actions = {
	admit: async ({ fetch, params }) =>
		done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id'].admit.$post({ param: { id: params.id } })
			)
		),
	invite: async ({ request, fetch, params }) => {
		const userId = await userIdOf(request);
		return done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id'].invite.$post({ param: { id: params.id }, json: { userId } })
			)
		);
	},
	remove: async ({ request, fetch, params }) => {
		const userId = await userIdOf(request);
		return done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id'].remove.$post({ param: { id: params.id }, json: { userId } })
			)
		);
	},
	end: async ({ fetch, params }) =>
		done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id'].end.$post({ param: { id: params.id } })
			)
		),
	requestShare: async ({ fetch, params }) =>
		done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id']['request-share'].$post({ param: { id: params.id } })
			)
		),
	askGuidance: async ({ fetch, params }) =>
		done(
			await callApi(fetch, (api) =>
				api['video-sessions'][':id'].guidance.$post({ param: { id: params.id } })
			)
		),
	startCase: async ({ fetch, params }) => {
		const session = await callApi(fetch, (api) =>
			api['video-sessions'][':id'].$get({ param: { id: params.id } })
		);
		if (!session.ok) return fail(session.status, { error: session.error });
		const res = await callApi(fetch, (api) =>
			api.cases.$post({
				json: { serviceId: session.data.session.serviceId, sessionId: params.id }
			})
		);
		return res.ok ? { error: null } : fail(res.status, { error: res.error });
	},
	/** 办结: the ticket is done (and its session ends with it). */
	finish: async ({ request, fetch }) => {
		const ticketId = String((await request.formData()).get('ticketId') ?? '');
		const res = await callApi(fetch, (api) =>
			api.queue.tickets[':id'].finish.$post({ param: { id: ticketId } })
		);
		return res.ok ? { error: null, finished: true } : fail(res.status, { error: res.error });
	},
	/**
	 * 下一位: finish this ticket (if not yet), call the next one at the same desk and, for a video
	 * ticket, open its session here: the agent never leaves the workspace. An on-site ticket or an
	 * empty queue goes back to the desk page, which says so.
	 */
	next: async ({ request, fetch, locals }) => {
		const form = await request.formData();
		const ticketId = String(form.get('ticketId') ?? '');
		const deskId = String(form.get('deskId') ?? '');
		if (ticketId) {
			const done = await callApi(fetch, (api) =>
				api.queue.tickets[':id'].finish.$post({ param: { id: ticketId } })
			);
			if (!done.ok && done.error.code !== 'wrong_state')
				return fail(done.status, { error: done.error });
		}
		const called = await callApi(fetch, (api) =>
			api.desks[':id']['call-next'].$post({ param: { id: deskId } })
		);
		if (!called.ok) return fail(called.status, { error: called.error });
		const home = locals.user ? ROLE_HOME[locals.user.role] : '/';
		if (called.status === 204) redirect(303, `${home}?nobody=1`);
		if (called.data.ticket.channel !== 'video') redirect(303, home);
		const opened = await callApi(fetch, (api) =>
			api['video-sessions'].$post({ json: { ticketId: called.data.ticket.id } })
		);
		if (!opened.ok) return fail(opened.status, { error: opened.error });
		redirect(303, `/video/${opened.data.session.id}`);
	}
};
