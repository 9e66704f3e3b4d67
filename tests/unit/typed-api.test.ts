// The web's API client (web/lib/api.ts). Two kinds of checks live here:
// - at run time (vitest), with a fetch that records the request and answers what the test says:
//   the request hc builds, path parameters percent-encoded, the ok/status/data or ok/status/error
//   shape pages rely on, schema-checked answers;
// - at type level (`npm run check` type-checks this file): an answer's type is the route's
//   response schema, so reading a field that does not exist, calling a route that does not exist
//   or sending a wrong body fails the check. Each `@ts-expect-error` below must stay an error:
//   if it stopped being one, the check would fail on the unused directive.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { apiPath, callApi, callApiChecked, submitted, type ApiError } from '../../web/lib/api.ts';
import type { ServiceItem } from '../../shared/schemas/catalog.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';
import { VideoToken } from '../../shared/schemas/video.ts';

interface Sent {
	url: string;
	method: string;
	headers: Headers;
	body: string | null;
}

/** A fetch that records each request and answers `status` with `body` (JSON unless a string). */
function fakeFetch(status: number, body?: unknown) {
	const sent: Sent[] = [];
	const fetch: typeof globalThis.fetch = async (input, init) => {
		sent.push({
			url: String(input),
			method: init?.method ?? 'GET',
			headers: new Headers(init?.headers),
			body: typeof init?.body === 'string' ? init.body : null
		});
		const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
		return new Response(text, { status, statusText: status === 502 ? 'Bad Gateway' : '' });
	};
	return { fetch, sent };
}

const item: ServiceItem = {
	id: 'svc-1',
	code: 'S001',
	name: '营业执照',
	nameEn: null,
	category: 'A',
	department: { id: 'd1', code: 'SCJG', name: '市场监管局', orgUnitId: 'o1' },
	channels: ['video', 'onsite'],
	acceptLevels: ['district'],
	approveLevel: 'district',
	feeFen: 0,
	timeLimitDays: 5,
	description: '',
	keywords: [],
	formTemplateId: null,
	materials: [],
	bundles: []
};

describe('callApi: the typed client with the page’s fetch', () => {
	it('answers ok, status and the data, typed by the route’s response schema', async () => {
		const { fetch, sent } = fakeFetch(200, item);
		const res = await callApi(fetch, (api) => api.services[':id'].$get({ param: { id: 'svc-1' } }));
		expect(sent).toEqual([
			{ url: '/api/services/svc-1', method: 'GET', headers: new Headers(), body: null }
		]);
		expect(res).toMatchObject({ ok: true, status: 200, data: item });
		if (!res.ok) return;
		expectTypeOf(res.data.name).toEqualTypeOf<string>();
		expectTypeOf(res.data.channels).toEqualTypeOf<ServiceItem['channels']>();
		// @ts-expect-error a service item has no `title` (its name is `name`)
		void res.data.title;
		// @ts-expect-error nor a misspelt field
		void res.data.chanels;
	});

	it('sends a JSON body and headers the route declares, and a query', async () => {
		const { fetch, sent } = fakeFetch(201, { appointment: { id: 'a1' } });
		await callApi(fetch, (api) =>
			api.appointments.$post({
				json: { slotId: 's1', serviceId: 'svc-1', channel: 'video' },
				header: { 'idempotency-key': 'key-12345' }
			})
		);
		await callApi(fetch, (api) =>
			api.services.$get({ query: { q: '营业 执照', channel: 'onsite' } })
		);
		expect(sent[0]).toMatchObject({ url: '/api/appointments', method: 'POST' });
		expect(JSON.parse(sent[0].body ?? '')).toEqual({
			slotId: 's1',
			serviceId: 'svc-1',
			channel: 'video'
		});
		expect(sent[0].headers.get('content-type')).toBe('application/json');
		expect(sent[0].headers.get('idempotency-key')).toBe('key-12345');
		expect(sent[1].url).toBe(
			'/api/services?q=%E8%90%A5%E4%B8%9A+%E6%89%A7%E7%85%A7&channel=onsite'
		);
	});

	it('percent-encodes path parameters (hc puts them in as they are)', async () => {
		const { fetch, sent } = fakeFetch(200, { ticket: {} });
		await callApi(fetch, (api) => api.queue.tickets[':id'].$get({ param: { id: '../desks?x=1' } }));
		await callApi(fetch, (api) =>
			api.cases[':id'].fields[':key'].$put({
				param: { id: 'c/1', key: '姓名' },
				json: { value: 'x', revision: 0 }
			})
		);
		expect(sent.map((s) => s.url)).toEqual([
			'/api/queue/tickets/..%2Fdesks%3Fx%3D1',
			'/api/cases/c%2F1/fields/%E5%A7%93%E5%90%8D'
		]);
	});

	it('narrows a 204 answer to data null', async () => {
		const { fetch } = fakeFetch(204);
		const res = await callApi(fetch, (api) =>
			api.desks[':id']['call-next'].$post({ param: { id: 'd1' } })
		);
		expect(res).toMatchObject({ ok: true, status: 204, data: null });
		if (!res.ok) return;
		if (res.status === 204) expectTypeOf(res.data).toEqualTypeOf<null>();
		else expectTypeOf(res.data.ticket).toEqualTypeOf<Ticket>();
	});

	it('answers the API’s one error shape, and keeps the whole body for errors that carry more', async () => {
		const answer = {
			error: {
				code: 'stale_revision',
				message: 'Changed meanwhile',
				fields: { value: 'changed' },
				current: { key: 'name', revision: 3 }
			}
		};
		const { fetch } = fakeFetch(409, answer);
		const res = await callApi(fetch, (api) =>
			api.cases[':id'].fields[':key'].$put({
				param: { id: 'c1', key: 'name' },
				json: { value: 'x', revision: 2 }
			})
		);
		expect(res).toMatchObject({
			ok: false,
			status: 409,
			error: { code: 'stale_revision', message: 'Changed meanwhile', fields: { value: 'changed' } },
			body: answer
		});
		if (res.ok) return;
		expectTypeOf(res.error).toEqualTypeOf<ApiError>();
		// @ts-expect-error the typed error is the one shape: extras are read from `body` with a schema
		void res.error.current;
	});

	it('turns an answer without the error shape into code generic', async () => {
		const { fetch } = fakeFetch(502, '<html>bad gateway</html>');
		const res = await callApi(fetch, (api) => api.bundles.$get());
		expect(res).toMatchObject({
			ok: false,
			status: 502,
			error: { code: 'generic', message: 'Bad Gateway' }
		});
	});

	it('refuses at type level what the API does not have', async () => {
		const { fetch } = fakeFetch(404, { error: { code: 'not_found', message: 'No API endpoint' } });
		// @ts-expect-error no such route
		await callApi(fetch, (api) => api.servicez.$get());
		await callApi(fetch, (api) =>
			// @ts-expect-error a required body field is missing (the slot)
			api.appointments.$post({ json: { serviceId: 'svc-1', channel: 'video' } })
		);
		await callApi(fetch, (api) =>
			// @ts-expect-error a channel the API does not know
			api.services.$get({ query: { channel: 'fax' } })
		);
	});
});

describe('callApiChecked: routes the typed client cannot reach, answers parsed with their schema', () => {
	it('types and checks the answer with the shared schema', async () => {
		const token = { url: 'ws://livekit', token: 't', room: 'r' };
		const { fetch, sent } = fakeFetch(200, token);
		const res = await callApiChecked(fetch, '/api/video-sessions/v1/token', VideoToken, {
			method: 'POST'
		});
		expect(sent[0]).toMatchObject({ url: '/api/video-sessions/v1/token', method: 'POST' });
		expect(res).toMatchObject({ ok: true, status: 200, data: token });
		if (!res.ok) return;
		expectTypeOf(res.data).toEqualTypeOf<z.output<typeof VideoToken>>();
		// @ts-expect-error a token answer has no `expiresAt`
		void res.data.expiresAt;
	});

	it('an answer that does not match its schema is an error, not a wrong type', async () => {
		const { fetch } = fakeFetch(200, { url: 'ws://livekit' });
		const res = await callApiChecked(fetch, '/api/video-sessions/v1/token', VideoToken, {
			method: 'POST'
		});
		expect(res).toMatchObject({ ok: false, status: 502, error: { code: 'unexpected_answer' } });
	});

	it('errors keep the API’s shape', async () => {
		const { fetch } = fakeFetch(410, { error: { code: 'session_ended', message: 'Ended' } });
		const res = await callApiChecked(fetch, '/api/video-sessions/v1/chat', z.unknown(), {
			body: { text: 'hi' }
		});
		expect(res).toMatchObject({ ok: false, status: 410, error: { code: 'session_ended' } });
	});
});

describe('apiPath and submitted', () => {
	it('builds typed paths for links and event streams', () => {
		expect(apiPath((api) => api.queue.events.$path({ query: { hallId: 'h 1' } }))).toBe(
			'/api/queue/events?hallId=h+1'
		);
		expect(
			apiPath((api) =>
				api.cases[':id'].documents[':documentId'].file.$path({
					param: { id: 'c1', documentId: 'd/1' }
				})
			)
		).toBe('/api/cases/c1/documents/d%2F1/file');
	});

	it('passes what a person submitted to the API unchanged', () => {
		expect(submitted('fax')).toBe('fax');
	});
});
