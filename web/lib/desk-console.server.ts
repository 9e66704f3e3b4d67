// Shared by the agent's and the township worker's desk pages: load and actions of the desk console.
import { fail, redirect, type ServerLoadEvent, type RequestEvent } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { Board, Desk, Ticket } from '$shared/schemas/queue.ts';
import type { OrgUnit } from '$shared/schemas/auth.ts';
import type { Notification } from '$shared/schemas/booking.ts';
import type { VideoSession } from '$shared/schemas/video.ts';
import type { Conversation } from '$shared/schemas/assistant.ts';

export async function loadDeskConsole(event: ServerLoadEvent) {
	event.depends('app:desk');
	const { fetch, locals } = event;
	const [desks, orgUnits, notices] = await Promise.all([
		callApi<{ desks: Desk[]; categories: { code: string; name: string }[] }>(fetch, '/api/desks'),
		callApi<{ orgUnits: OrgUnit[] }>(fetch, '/api/org-units'),
		callApi<{ notifications: Notification[] }>(fetch, '/api/notifications')
	]);
	const list = desks.ok ? desks.data.desks : [];
	const mine = list.find((d) => d.servedBy?.id === locals.user?.id) ?? null;
	const hallId = mine?.orgUnitId ?? list[0]?.orgUnitId ?? null;
	const board = hallId ? await callApi<Board>(fetch, `/api/queue/board?hallId=${hallId}`) : null;
	// a ticket handed off by the assistant brings the citizen's questions with it
	const conversation = mine?.current
		? await callApi<{ conversation: Conversation }>(
				fetch,
				`/api/queue/tickets/${mine.current.id}/conversation`
			)
		: null;
	// after a video session the desk shows that it ended (and offers 办结 / 下一位, not 发起视频)
	const video = mine?.current?.videoSessionId
		? await callApi<{ session: VideoSession }>(
				fetch,
				`/api/video-sessions/${encodeURIComponent(mine.current.videoSessionId)}`
			)
		: null;
	const guidance =
		locals.user?.role === 'agent'
			? await callApi<{ requests: GuidanceRequest[] }>(fetch, '/api/guidance')
			: null;
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
		// the video workspace's 下一位 found nobody waiting
		nobody: event.url.searchParams.has('nobody'),
		orgUnit: orgUnits.ok
			? (orgUnits.data.orgUnits.find((o) => o.id === locals.user?.orgUnitId) ?? null)
			: null
	};
}

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

export interface GuidanceRequest {
	id: string;
	sessionId: string;
	serviceName: string;
	requestedBy: string;
	requestingOrgName: string;
	escalated: boolean;
}

type Result = { error: import('$lib/api.ts').ApiError | null; nobody: boolean };

/** Typed so pages get their form data's shape. */
export const deskConsoleActions = {
	open: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(fetch, `/api/desks/${encodeURIComponent(str(form, 'deskId'))}/open`, {
			body: { categories: form.getAll('categories').map(String) }
		});
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	},
	close: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi(
			fetch,
			`/api/desks/${encodeURIComponent(str(form, 'deskId'))}/close`,
			{ method: 'POST' }
		);
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	},
	callNext: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi<{ ticket: Ticket }>(
			fetch,
			`/api/desks/${encodeURIComponent(str(form, 'deskId'))}/call-next`,
			{
				method: 'POST'
			}
		);
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		return { error: null, nobody: res.status === 204 };
	},
	acceptGuidance: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi<{ sessionId: string }>(
			fetch,
			`/api/guidance/${encodeURIComponent(str(form, 'requestId'))}/accept`,
			{ method: 'POST' }
		);
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		redirect(303, `/video/${res.data.sessionId}`);
	},
	startVideo: async ({ request, fetch }) => {
		const form = await request.formData();
		const res = await callApi<{ session: VideoSession }>(fetch, '/api/video-sessions', {
			body: { ticketId: str(form, 'ticketId') }
		});
		if (!res.ok) return fail(res.status, { error: res.error, nobody: false });
		redirect(303, `/video/${res.data.session.id}`);
	},
	/** 办结并叫下一位: finish the current ticket, call the next; a video ticket opens its session. */
	finishAndNext: async ({ request, fetch }) => {
		const form = await request.formData();
		const finished = await callApi(
			fetch,
			`/api/queue/tickets/${encodeURIComponent(str(form, 'ticketId'))}/finish`,
			{ method: 'POST' }
		);
		if (!finished.ok) return fail(finished.status, { error: finished.error, nobody: false });
		const called = await callApi<{ ticket: Ticket }>(
			fetch,
			`/api/desks/${encodeURIComponent(str(form, 'deskId'))}/call-next`,
			{ method: 'POST' }
		);
		if (!called.ok) return fail(called.status, { error: called.error, nobody: false });
		if (called.status === 204) return { error: null, nobody: true };
		if (called.data.ticket.channel !== 'video') return { error: null, nobody: false };
		const opened = await callApi<{ session: VideoSession }>(fetch, '/api/video-sessions', {
			body: { ticketId: called.data.ticket.id }
		});
		if (!opened.ok) return fail(opened.status, { error: opened.error, nobody: false });
		redirect(303, `/video/${opened.data.session.id}`);
	},
	ticket: async ({ request, fetch }) => {
		const form = await request.formData();
		const action = str(form, 'action');
		if (!['recall', 'no-show', 'start', 'finish', 'transfer'].includes(action))
			return fail(400, { error: null, nobody: false });
		const target = str(form, 'target');
		const body =
			action === 'transfer'
				? target.startsWith('desk:')
					? { deskId: target.slice(5) }
					: { category: target.slice(4) }
				: undefined;
		const res = await callApi(
			fetch,
			`/api/queue/tickets/${encodeURIComponent(str(form, 'ticketId'))}/${action}`,
			{
				method: 'POST',
				body
			}
		);
		return res.ok
			? { error: null, nobody: false }
			: fail(res.status, { error: res.error, nobody: false });
	}
} satisfies Record<
	string,
	(event: RequestEvent) => Promise<Result | ReturnType<typeof fail<Result>>>
>;
