import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody } from '../../shared/schemas/errors.ts';
import { isDatabaseUnreachable, storageFault } from '../db/faults.ts';

/**
 * The one error type rules throw. onError turns it into `{ error: { code, message, fields? } }`
 * with its status; anything else becomes a 500 without details.
 */
export class AppError extends Error {
	readonly status: ContentfulStatusCode;
	readonly code: string;
	readonly fields?: Record<string, string>;
	readonly headers?: Record<string, string>;
	/** Extra members of the error object, e.g. the current field on a stale write. */
	readonly extra?: Record<string, unknown>;

	constructor(
		status: ContentfulStatusCode,
		code: string,
		message: string,
		extra: {
			fields?: Record<string, string>;
			headers?: Record<string, string>;
			body?: Record<string, unknown>;
		} = {}
	) {
		super(message);
		this.status = status;
		this.code = code;
		this.fields = extra.fields;
		this.headers = extra.headers;
		this.extra = extra.body;
	}

	static validation(fields: Record<string, string>, message = 'Some fields are invalid') {
		return new AppError(400, 'validation_failed', message, { fields });
	}
	static unauthenticated(message = 'Sign in first') {
		return new AppError(401, 'unauthenticated', message);
	}
	static forbidden(message = 'Your role may not do this') {
		return new AppError(403, 'forbidden', message);
	}
	static notFound(what: string) {
		return new AppError(404, 'not_found', `${what} not found`);
	}
	static conflict(code: string, message: string, fields?: Record<string, string>) {
		return new AppError(409, code, message, { fields });
	}
}

/** zod issues → `{ "a.b": "message" }`, first message per field. */
export function fieldsFromZod(error: ZodError): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_';
		fields[key] ??= issue.message;
	}
	return fields;
}

export function errorBody(
	code: string,
	message: string,
	fields?: Record<string, string>
): ErrorBody {
	return { error: fields ? { code, message, fields } : { code, message } };
}

type Log = (line: string, extra?: Record<string, unknown>) => void;

/** The answer to a storage fault: what happened and that nothing was saved, without internals. */
export const STORAGE_UNAVAILABLE_MESSAGE =
	'Storage is unavailable (the disk is full or read-only), so nothing was saved; please try again later';
/** The same when the database server (PostgreSQL) cannot be reached. */
export const DATABASE_UNREACHABLE_MESSAGE =
	'The database cannot be reached, so nothing was saved; please try again later';

export function toErrorResponse(
	err: unknown,
	c: Context,
	log: Log,
	onStorageFault: (code: string, path: string) => void = () => {}
): Response {
	if (err instanceof AppError) {
		if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
		const body = errorBody(err.code, err.message, err.fields);
		return c.json(err.extra ? { error: { ...body.error, ...err.extra } } : body, err.status);
	}
	if (err instanceof HTTPException) {
		const status = err.status;
		const code =
			status === 413
				? 'payload_too_large'
				: status === 415
					? 'unsupported_media_type'
					: status === 400
						? 'bad_request'
						: 'http_error';
		return c.json(errorBody(code, err.message || 'Request failed'), status as ContentfulStatusCode);
	}
	// The disk is full or read-only, or the database server is unreachable: not the request's
	// fault and not a bug. Logged once per burst by the storage monitor (onStorageFault), never
	// with a stack per request.
	const fault = storageFault(err);
	if (fault) {
		onStorageFault(fault, c.req.path);
		c.header('retry-after', '30');
		const message = isDatabaseUnreachable(fault)
			? DATABASE_UNREACHABLE_MESSAGE
			: STORAGE_UNAVAILABLE_MESSAGE;
		return c.json(errorBody('storage_unavailable', message), 503);
	}
	// The write lock stayed taken past the busy timeout (a burst of writers), or PostgreSQL broke
	// a deadlock between two requests by aborting this one (40P01; a write under an
	// Idempotency-Key holds its rules' locks until the request commits): a moment later it will
	// go through, so say so instead of an internal error. Nothing was written; the pages retry.
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === '40P01')) {
		log('database busy', { path: c.req.path });
		c.header('retry-after', '1');
		return c.json(errorBody('busy', 'The hall is busy; nothing was saved, please try again'), 503);
	}
	// Unknown failure: log server-side (message and stack only, never request bodies), answer generically.
	log('unhandled error', {
		path: c.req.path,
		error: err instanceof Error ? (err.stack ?? err.message) : String(err)
	});
	return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
}
