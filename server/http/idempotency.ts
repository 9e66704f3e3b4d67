// Idempotency-Key on writes (issue 22, item 5). The pages retry a write after a dropped
// connection (a node restarted under them, a phone between cells) with the key of the first try.
// The key is recorded in the SAME transaction as the write, with the answer given: the request
// runs inside one transaction whose handle the route's rules get as deps.store (their own
// transactions become savepoints). So exactly one of these holds:
//   - the write committed, and a retry gets its first answer again (Idempotent-Replayed: true);
//   - it did not (refused, failed, or the node died before COMMIT), the key was not kept either,
//     and a retry runs afresh.
// Two tries with one key at once: the second waits for the first's transaction (SQLite's write
// lock; PostgreSQL's unique index) and then replays its answer. Booking keeps its own handling
// (server/booking: a replay there answers with the appointment as it is now).
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isUniqueViolation } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';
import { createIdempotencyRepo, type KeyRow } from './idempotency-repo.ts';
import type { AppEnv } from './env.ts';
import { AppError } from './errors.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[A-Za-z0-9_:.-]{8,100}$/;
/** A key is remembered this long (a retry comes within seconds; a day is generous). */
export const KEEP_KEYS_MS = 24 * 60 * 60 * 1000;
/** Routes that handle the key inside their rule (their replay answers differently). */
const OWN_HANDLING = /^\/api\/appointments(\/|$)/;

/** The answer not kept: thrown inside the transaction to roll the request back. */
class NotKept extends Error {}

/**
 * What makes two tries the same request: method, path and body. A multipart body (an upload) is
 * framed by a boundary the browser draws afresh for every send, so the boundary is left out.
 */
async function fingerprintOf(req: Request, path: string): Promise<string> {
	const hash = createHash('sha256').update(`${req.method} ${path}\n`);
	if (!req.body) return hash.digest('hex');
	const body = Buffer.from(await req.clone().arrayBuffer());
	const boundary = /boundary="?([^";]+)"?/i.exec(req.headers.get('content-type') ?? '')?.[1];
	if (!boundary) return hash.update(body).digest('hex');
	// latin1 maps every byte to one character and back: the file's bytes pass through unchanged
	return hash.update(body.toString('latin1').replaceAll(boundary, ''), 'latin1').digest('hex');
}

function replay(row: KeyRow, fingerprint: string): Response {
	if (row.fingerprint !== fingerprint)
		throw new AppError(
			422,
			'idempotency_key_reused',
			'This Idempotency-Key was already used for a different request'
		);
	return new Response(row.body, {
		status: row.status,
		headers: {
			...(row.content_type ? { 'content-type': row.content_type } : {}),
			'idempotent-replayed': 'true'
		}
	});
}

export const idempotentWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
	const key = c.req.header('idempotency-key');
	if (key === undefined || !WRITES.has(c.req.method) || OWN_HANDLING.test(c.req.path))
		return next();
	if (!KEY.test(key))
		throw AppError.validation({
			'Idempotency-Key': '8 to 100 letters, digits or _ : . -'
		});
	const deps = c.var.deps;
	const scope = c.var.user?.id ?? 'anonymous';
	const fingerprint = await fingerprintOf(c.req.raw, c.req.path);
	const earlier = await createIdempotencyRepo(deps.store).find(scope, key);
	if (earlier) return replay(earlier, fingerprint);

	try {
		await deps.store.transaction(async (tx) => {
			const keys = createIdempotencyRepo(tx);
			// first, so that a second try with this key waits here for this one to end
			await keys.reserve(scope, key, fingerprint, deps.now());
			c.set('deps', { ...deps, store: tx });
			try {
				await next();
			} finally {
				c.set('deps', deps);
			}
			// refused or failed: nothing of it stays, the key included, so a retry runs afresh
			if (c.error || c.res.status >= 400) throw new NotKept();
			await keys.keepAnswer(scope, key, {
				status: c.res.status,
				contentType: c.res.headers.get('content-type'),
				body: await c.res.clone().text()
			});
		});
	} catch (err) {
		if (err instanceof NotKept) return;
		if (!isUniqueViolation(err)) throw err;
		// the same key at the same moment: the other try committed first; answer as it did
		const first = await createIdempotencyRepo(deps.store).find(scope, key);
		if (!first) throw err;
		c.res = replay(first, fingerprint);
	}
};

/** Forgets keys older than KEEP_KEYS_MS (a background sweep). */
export async function pruneIdempotencyKeys(deps: { store: Store; now(): number }): Promise<number> {
	return createIdempotencyRepo(deps.store).pruneBefore(deps.now() - KEEP_KEYS_MS);
}
