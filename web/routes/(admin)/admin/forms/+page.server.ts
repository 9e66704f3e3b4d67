import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { ServiceSummary } from '$shared/schemas/catalog.ts';
import type { TemplateDefinition } from '$shared/forms/template.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const items = await callApi<{ items: ServiceSummary[] }>(fetch, '/api/services');
	const list = items.ok ? items.data.items : [];
	const serviceId = url.searchParams.get('service') ?? list[0]?.id ?? '';
	const current = serviceId
		? await callApi<{ id: string; version: number; definition: TemplateDefinition }>(
				fetch,
				`/api/services/${encodeURIComponent(serviceId)}/form-template`
			)
		: null;
	return {
		items: list,
		serviceId,
		version: current?.ok ? current.data.version : 0,
		definition: current?.ok ? JSON.stringify(current.data.definition, null, 2) : ''
	};
};

export const actions: Actions = {
	publish: async ({ request, fetch }) => {
		const form = await request.formData();
		const text = String(form.get('definition') ?? '');
		let definition: unknown;
		try {
			definition = JSON.parse(text);
		} catch (err) {
			return fail(400, {
				text,
				published: null,
				error: {
					code: 'validation_failed',
					message: 'not JSON',
					fields: { definition: (err as Error).message }
				}
			});
		}
		const res = await callApi<{ version: number }>(fetch, '/api/admin/form-templates', {
			body: { serviceId: String(form.get('serviceId') ?? ''), definition }
		});
		if (!res.ok) return fail(res.status, { text, published: null, error: res.error });
		return { text: null, published: res.data.version, error: null };
	}
};
