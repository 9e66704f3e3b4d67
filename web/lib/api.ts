// The web's one way to the hall's API (/api). Calls go through Hono's typed client, `hc`, typed
// by the server's own route chain (server/app.ts `App`): the path, the method, the parameters,
// the body and the answer of each call are checked by the compiler, and a field renamed in a
// shared schema fails `npm run check` wherever a page reads it. Only types come from server/;
// at run time the client is a plain `fetch` of /api, so SvelteKit's `fetch` (in load functions
// and actions: the in-process hook serves it, cookies pass) and the browser's work alike.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
// eslint-disable-next-line no-restricted-imports -- types only: the web still calls /api over fetch
import type { App } from '../../server/app.ts';
// relative, not $shared: tests/unit imports this module without SvelteKit's aliases; a type
// only, so that every page is not made to download zod for the error shape (isErrorBody below)
import type { ErrorBody } from '../../shared/schemas/errors.ts';

export type ApiError = ErrorBody['error'];
export type ApiOk<T, S extends number = number> = {
	ok: true;
	status: S;
	data: T;
	headers: Headers;
};
export type ApiFailure = {
	ok: false;
	status: number;
	error: ApiError;
	/** The whole parsed answer, for the few errors that carry more (checked with a schema). */
	body: unknown;
	headers: Headers;
};
export type ApiResult<T, S extends number = number> = ApiOk<T, S> | ApiFailure;

/** SvelteKit's `fetch` (load functions, actions), the browser's, or one onto the app itself. */
type Fetch = typeof globalThis.fetch;

/** The typed client of /api: `api.services[':id'].$get({ param: { id } })`. */
export type Api = ReturnType<typeof hc<App>>['api'];

/**
 * What a call answers when it succeeds, one member per success status, so that
 * `res.status === 204` narrows `data` (null: the answer has no JSON body).
 */
export type Answered<R> =
	R extends ClientResponse<infer T, infer S, infer F>
		? [Extract<S, SuccessStatusCode>] extends [never]
			? never
			: ApiOk<F extends 'json' ? T : null, Extract<S, SuccessStatusCode>>
		: never;

/** The result of one call of the typed client, in the shape pages handle (`ok`, `status`, …). */
export type ResultOf<R> = Answered<R> | ApiFailure;

type Answer = {
	ok: boolean;
	status: number;
	statusText: string;
	headers: Headers;
	text(): Promise<string>;
};

/**
 * Calls the API through the typed client and answers `{ ok: true, status, data }` or
 * `{ ok: false, status, error }` (the API's one error shape, `{ error: { code, message,
 * fields } }`; an answer without it becomes code `generic`).
 *
 * ```ts
 * const res = await callApi(fetch, (api) => api.services[':id'].$get({ param: { id } }));
 * if (res.ok) res.data.name;
 * ```
 * Path parameters are percent-encoded here (hc puts them into the path as they are).
 */
export async function callApi<R extends Answer>(
	fetch: Fetch,
	call: (api: Api) => Promise<R>,
	opts?: CallOptions
): Promise<ResultOf<R>>;
export async function callApi(
	fetch: Fetch,
	call: (api: Api) => Promise<Answer>,
	opts: CallOptions = {}
): Promise<ApiResult<unknown>> {
	const res = await call(client(opts.retry ? retryingWrite(fetch) : fetch));
	const body = await bodyOf(res);
	if (res.ok) {
		// The one place an answer meets its type (the overload above): hc's own `res.json()`
		// declares the same type, the route's response schema for the status, unchecked too.
		return { ok: true, status: res.status, data: body, headers: res.headers };
	}
	return failure(res, body);
}

export interface CallOptions {
	/**
	 * A write the page retries when the connection drops (a node restarted behind the balancer, a
	 * phone between cells): sent with an Idempotency-Key, the same on every try, so it lands once.
	 */
	retry?: boolean;
}

/** Pauses before each retry of a write: about 7 s in all, enough for the balancer to fail over. */
export const RETRY_PAUSES_MS = [300, 700, 1500, 2000, 2500];

/**
 * `fetch` for one write: every try carries one Idempotency-Key; a try that fails on the way (no
 * answer at all, or the balancer's 502/503/504 when a node is gone) is sent again after a pause.
 * Safe because the API keeps the key with the write (server/http/idempotency.ts): a try that
 * landed is answered again, one that did not runs afresh.
 */
export function retryingWrite(
	fetch: Fetch,
	pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
): Fetch {
	const key = `w-${crypto.randomUUID()}`;
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('idempotency-key', key);
		for (let attempt = 0; ; attempt++) {
			const last = attempt >= RETRY_PAUSES_MS.length;
			try {
				const res = await fetch(input, { ...init, headers });
				if (last || !(await passing(res))) return res;
			} catch (err) {
				if (last || init?.signal?.aborted) throw err;
			}
			await pause(RETRY_PAUSES_MS[attempt]);
		}
	};
}

/**
 * An answer worth trying again: the balancer's (no node answered: 502, 504, or a 503 without the
 * API's error shape) or the API's own 503 busy. Not the API's other 503s (video or SMS unavailable,
 * storage faults): the page says those at once.
 */
async function passing(res: Response): Promise<boolean> {
	if (res.status === 502 || res.status === 504) return true;
	if (res.status !== 503) return false;
	const body: unknown = await res
		.clone()
		.json()
		.catch(() => null);
	return !isErrorBody(body) || body.error.code === 'busy';
}

/**
 * For the few routes whose types the server's route chain loses, so `hc` cannot reach them:
 * the case steps (accept, forward, approve, reject, complete: registered in a loop) and the
 * video session routes under `/video-sessions/{id}/…` whose path is built from a plain string
 * (admit, invite, …, which also hides chat, token, waiting, invitable and guidance). The answer
 * is parsed with its shared zod schema, so its type derives from the schema and holds at run
 * time.
 */
export async function callApiChecked<S extends z.ZodType>(
	fetch: Fetch,
	path: `/api/${string}`,
	schema: S,
	init: { method?: 'GET' | 'POST'; body?: unknown } = {}
): Promise<ApiResult<z.output<S>>> {
	const res = await fetch(path, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	const body = await bodyOf(res);
	if (!res.ok) return failure(res, body);
	const parsed = schema.safeParse(body);
	if (parsed.success)
		return { ok: true, status: res.status, data: parsed.data, headers: res.headers };
	return {
		ok: false,
		status: 502,
		error: { code: 'unexpected_answer', message: parsed.error.message },
		body,
		headers: res.headers
	};
}

/**
 * What a person submitted (a form field, a query parameter of the page, a JSON document an
 * admin wrote) for an API field of a narrower type (one of a fixed set, a form definition): it
 * goes to the API as it is, typed as that field, and the API validates it and answers 400 naming
 * the field, as it did before typed calls. For requests only; answers are never cast.
 */
export function submitted<T>(value: unknown): T {
	return value as T;
}

async function bodyOf(res: Answer): Promise<unknown> {
	const text = await res.text();
	try {
		return text ? JSON.parse(text) : null;
	} catch {
		return null;
	}
}

/** The API's error shape (shared/schemas/errors.ts), checked by hand: see the import above. */
export function isErrorBody(body: unknown): body is ErrorBody {
	if (typeof body !== 'object' || body === null || !('error' in body)) return false;
	const { error } = body;
	if (typeof error !== 'object' || error === null) return false;
	if (!('code' in error) || typeof error.code !== 'string') return false;
	if (!('message' in error) || typeof error.message !== 'string') return false;
	if (!('fields' in error) || error.fields === undefined) return true;
	const { fields } = error;
	return (
		typeof fields === 'object' &&
		fields !== null &&
		!Array.isArray(fields) &&
		Object.values(fields).every((v) => typeof v === 'string')
	);
}

/** The error's own fields only, as a schema parse would leave them. */
function errorOf({ error }: ErrorBody): ApiError {
	const { code, message, fields } = error;
	return fields === undefined ? { code, message } : { code, message, fields };
}

function failure(res: Answer, body: unknown): ApiFailure {
	return {
		ok: false,
		status: res.status,
		error: isErrorBody(body) ? errorOf(body) : { code: 'generic', message: res.statusText },
		body,
		headers: res.headers
	};
}

/**
 * A typed path of the API, for what is not a `fetch`: links (CSV downloads, files) and
 * EventSource streams. `apiPath((api) => api.queue.events.$path({ query: { hallId } }))`
 */
export function apiPath(build: (api: Api) => string): string {
	return build(client(() => Promise.reject(new Error('apiPath only builds paths'))));
}

/** The typed client on this `fetch`, with path parameters percent-encoded. */
export function client(fetch: Fetch): Api {
	return encodingParams(hc<App>('/', { fetch }).api);
}

/**
 * hc's client is a proxy: every property is a further path segment, and calling `$get`, `$post`,
 * `$url`, `$path` builds the request from the arguments. This proxy around it encodes each
 * `param` value (an id with `/` or `?` stays one path segment).
 */
function encodingParams<T extends object>(target: T): T {
	return new Proxy(target, {
		get(t, key) {
			const value: unknown = Reflect.get(t, key);
			return typeof value === 'function' ? encodingParams(value) : value;
		},
		apply(t, self, args: unknown[]) {
			const [first, ...rest] = args;
			return Reflect.apply(t as (...a: unknown[]) => unknown, self, [encodeParam(first), ...rest]);
		}
	});
}

function encodeParam(args: unknown): unknown {
	if (typeof args !== 'object' || args === null || !('param' in args)) return args;
	const { param } = args;
	if (typeof param !== 'object' || param === null) return args;
	return {
		...args,
		param: Object.fromEntries(
			Object.entries(param).map(([k, v]) => [k, typeof v === 'string' ? encodeURIComponent(v) : v])
		)
	};
}
