// The learning queue's load and actions, the same for the admin's page (/admin/kb/learn) and
// the supervisor's (/supervisor/learn): the API decides who may act.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { LearningView } from '$shared/schemas/learning.ts';

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

export async function loadLearning({ fetch, url }: Pick<RequestEvent, 'fetch' | 'url'>) {
	const view: LearningView = url.searchParams.get('view') === 'off_topic' ? 'off_topic' : 'gaps';
	const [queue, entries] = await Promise.all([
		callApi(fetch, (api) => api.assistant.learning.$get({ query: { view } })),
		callApi(fetch, (api) => api.assistant.learning.entries.$get())
	]);
	return {
		view,
		groups: queue.ok ? queue.data.groups : [],
		entries: entries.ok ? entries.data.entries : [],
		error: queue.ok ? null : queue.error
	};
}

/** The question of the form, as its number in the path. */
const questionParam = (form: FormData) => ({ id: str(form, 'questionId') });

export const learningActions = {
	link: async ({ request, fetch }: RequestEvent) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.assistant.questions[':id'].link.$post({
				param: questionParam(form),
				json: { entryId: str(form, 'entryId') }
			})
		);
		if (!res.ok) return fail(res.status, { questionId: str(form, 'questionId'), error: res.error });
		return { linked: res.data.linked, entryId: res.data.entryId };
	},
	faq: async ({ request, fetch }: RequestEvent) => {
		const form = await request.formData();
		const values = {
			title: str(form, 'title'),
			body: str(form, 'body'),
			tags: str(form, 'tags')
		};
		const res = await callApi(fetch, (api) =>
			api.assistant.questions[':id'].faq.$post({
				param: questionParam(form),
				json: {
					title: values.title,
					body: values.body,
					tags: values.tags
						.split(/[,，、\s]+/)
						.map((s) => s.trim())
						.filter(Boolean)
				}
			})
		);
		if (!res.ok)
			return fail(res.status, { questionId: str(form, 'questionId'), values, error: res.error });
		return { written: res.data.entryId, linked: res.data.linked };
	},
	offTopic: async ({ request, fetch }: RequestEvent) => {
		const form = await request.formData();
		const res = await callApi(fetch, (api) =>
			api.assistant.questions[':id']['off-topic'].$post({ param: questionParam(form) })
		);
		if (!res.ok) return fail(res.status, { questionId: str(form, 'questionId'), error: res.error });
		return { marked: res.data.marked };
	}
};
