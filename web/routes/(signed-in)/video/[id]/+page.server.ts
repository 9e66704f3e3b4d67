import { error, fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { VideoSession } from '$shared/schemas/video.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, depends }) => {
	depends('app:session');
	const res = await callApi<{ session: VideoSession }>(
		fetch,
		`/api/video-sessions/${encodeURIComponent(params.id)}`
	);
	if (!res.ok)
		error(res.status === 404 ? 404 : res.status === 403 ? 403 : 500, {
			message: res.error.message
		});
	const invitable =
		res.data.session.me.kind === 'host' && res.data.session.status === 'open'
			? await callApi<{ users: { id: string; name: string; role: string; orgUnitName: string }[] }>(
					fetch,
					`/api/video-sessions/${encodeURIComponent(params.id)}/invitable`
				)
			: null;
	return { session: res.data.session, invitable: invitable?.ok ? invitable.data.users : [] };
};

const act =
	(path: string, withUser = false): Actions[string] =>
	async ({ request, fetch, params }) => {
		const form = await request.formData();
		const res = await callApi(
			fetch,
			`/api/video-sessions/${encodeURIComponent(params.id)}/${path}`,
			{
				method: 'POST',
				body: withUser ? { userId: String(form.get('userId') ?? '') } : undefined
			}
		);
		return res.ok ? { error: null } : fail(res.status, { error: res.error });
	};

export const actions: Actions = {
	admit: act('admit'),
	invite: act('invite', true),
	remove: act('remove', true),
	end: act('end'),
	requestShare: act('request-share'),
	askGuidance: act('guidance'),
	startCase: async ({ fetch, params }) => {
		const session = await callApi<{ session: VideoSession }>(
			fetch,
			`/api/video-sessions/${encodeURIComponent(params.id)}`
		);
		if (!session.ok) return fail(session.status, { error: session.error });
		const res = await callApi(fetch, '/api/cases', {
			body: { serviceId: session.data.session.serviceId, sessionId: params.id }
		});
		return res.ok ? { error: null } : fail(res.status, { error: res.error });
	}
};
