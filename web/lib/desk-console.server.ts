// Shared by the agent's and the township worker's desk pages: load and actions of the desk console.
import { fail, redirect, type ServerLoadEvent, type RequestEvent } from '@sveltejs/kit';
import { callApi, type ApiError } from '$lib/api.ts';
import { newWriteKey, writeKeyHeaders } from '$lib/write-key.ts';

export async function loadDeskConsole(event: ServerLoadEvent) {
	event.depends('app:desk');
	const { fetch, locals } = event;
	const [desks, orgUnits, notices] = await Promise.all([
		callApi(fetch, (api) => api.desks.$get()),
		callApi(fetch, (api) => api['org-units'].$get()),
		callApi(fetch, (api) => api.notifications.$get())
	]);
	const list = desks.ok ? desks.data.desks : [];
	const mine = list.find((d) => d.servedBy?.id === locals.user?.id) ?? null;
	const hallId = mine?.orgUnitId ?? list[0]?.orgUnitId ?? null;
	const board = hallId
		? await callApi(fetch, (api) => api.queue.board.$get({ query: { hallId } }))
		: null;
	// a ticket handed off by the assistant brings the citizen's questions with it
	const current = mine?.current ?? null;
	const conversation = current
		? await callApi(fetch, (api) =>
				api.queue.tickets[':id'].conversation.$get({ param: { id: current.id } })
			)
		: null;
	// after a video session the desk shows that it ended (and offers 办结 / 下一位, not 发起视频)
	const sessionId = current?.videoSessionId;
	const video = sessionId
		? await callApi(fetch, (api) => api['video-sessions'][':id'].$get({ param: { id: sessionId } }))
		: null;
	const guidance =
		locals.user?.role === 'agent' ? await callApi(fetch, (api) => api.guidance.$get()) : null;
	return {
		desks: list,
		categories: desks.ok ? desks.data.categories : [],
		mine,
		hallId,
		hallCode: board?.ok ? board.data.hall.code : null,
		waiting: board?.ok ? board.data.waiting : [],
		notifications: notices.ok ? notices.data.notifications : [],
		guidance: guidance?.ok ? guidance.data.requests : [],
		conversation: conversation?.ok ? conversation.data.conversation : null,
		videoEnded: video?.ok ? video.data.session.status === 'ended' : false,
		writeKey: newWriteKey(),
		// the video workspace's 下一位 found nobody waiting
		nobody: event.url.searchParams.has('nobody'),
		orgUnit: orgUnits.ok
			? (orgUnits.data.orgUnits.find((o) => o.id === locals.user?.orgUnitId) ?? null)
			: null
	};
}

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

/** The ticket steps without a body (transfer has one). */
const TICKET_STEPS = ['recall', 'no-show', 'start', 'finish'] as const;

type Result = { error: ApiError | null; nobody: boolean };

/** Typed so pages get their form data's shape. */
export const deskConsoleActions = {
	open: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.desks[':id'].open.$post({
				param: { id: str(form, 'deskId') },
				json: { categories: form.getAll('categories').map(String) }
			})
		);
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	},
	close: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.desks[':id'].close.$post({ param: { id: str(form, 'deskId') } })
		);
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	},
	callNext: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.desks[':id']['call-next'].$post(
				{ param: { id: str(form, 'deskId') } },
				{ headers: writeKeyHeaders(form) }
			)
		);
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		return { error: null, nobody: res.status === 204 };
	},
	acceptGuidance: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.guidance[':id'].accept.$post({ param: { id: str(form, 'requestId') } })
		);
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		redirect(303, `/video/${res.data.sessionId}`);
	},
	startVideo: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api['video-sessions'].$post({ json: { ticketId: str(form, 'ticketId') } })
		);
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		redirect(303, `/video/${res.data.session.id}`);
	},
	/** 办结并叫下一位: finish the current ticket, call the next; a video ticket opens its session. */
	finishAndNext: async ({ request, fetch }) => {
		const form = await request.formData();
		const finished = await callApi(fetch, (api) =>
			api.queue.tickets[':id'].finish.$post(
				{ param: { id: str(form, 'ticketId') } },
				{ headers: writeKeyHeaders(form, 'finish') }
			)
		);
		if (!finished.ok) return fail(finished.status, { error: finished.error, nobody: false });
		const called = await callApi(fetch, (api) =>
			api.desks[':id']['call-next'].$post(
				{ param: { id: str(form, 'deskId') } },
				{ headers: writeKeyHeaders(form, 'call') }
			)
		);
		if (!called.ok) return fail(called.status, { error: called.error, nobody: false });
		if (called.status === 204) return { error: null, nobody: true };
		if (called.data.ticket.channel !== 'video') return { error: null, nobody: false };
		const ticketId = called.data.ticket.id;
		const opened = await callApi(fetch, (api) =>
			api['video-sessions'].$post({ json: { ticketId } })
		);
		if (!opened.ok) return fail(opened.status, { error: opened.error, nobody: false });
		redirect(303, `/video/${opened.data.session.id}`);
	},
	ticket: async ({ request, fetch }) => {
		const form = await request.formData();
		const action = str(form, 'action');
		const id = str(form, 'ticketId');
		const step = TICKET_STEPS.find((s) => s === action);
		if (!step && action !== 'transfer') return fail(400, { error: null, nobody: false });
		const target = str(form, 'target');
		const res = step
			? await callApi(fetch, (api) => api.queue.tickets[':id'][step].$post({ param: { id } }))
			: await callApi(fetch, (api) =>
					api.queue.tickets[':id'].transfer.$post({
						param: { id },
						json: target.startsWith('desk:')
							? { deskId: target.slice(5) }
							: { category: target.slice(4) }
					})
				);
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	}
} satisfies Record<
	string,
	(event: RequestEvent) => Promise<Result | ReturnType<typeof fail<Result>>>
>;
