import type { ErrorBody } from '$shared/schemas/errors.ts';

export type ApiError = ErrorBody['error'];
export type ApiResult<T> =
	| { ok: true; status: number; data: T; headers: Headers }
	| { ok: false; status: number; error: ApiError; headers: Headers };

/** Calls the hall's own API (/api/...) with JSON; errors come back in the API's one shape. */
export async function callApi<T>(
	fetch: typeof globalThis.fetch,
	path: string,
	init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<ApiResult<T>> {
	const res = await fetch(path, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: {
			...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
			...init.headers
		},
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	const text = await res.text();
	let parsed: unknown;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		parsed = null;
	}
	if (res.ok) return { ok: true, status: res.status, data: parsed as T, headers: res.headers };
	const error = (parsed as ErrorBody | null)?.error ?? { code: 'generic', message: res.statusText };
	return { ok: false, status: res.status, error, headers: res.headers };
}
