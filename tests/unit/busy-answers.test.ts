// Contention the client can simply retry is 503 busy, never 500: SQLite's busy timeout and a
// PostgreSQL deadlock abort (40P01) both leave nothing written.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../server/http/errors.ts';

function appThrowing(err: unknown) {
	const app = new Hono();
	app.post('/', () => {
		throw err;
	});
	app.onError((e, c) => toErrorResponse(e, c, () => {}));
	return app;
}

describe('busy answers', () => {
	for (const code of ['SQLITE_BUSY', '40P01'])
		it(`${code} is 503 busy with Retry-After`, async () => {
			const res = await appThrowing(Object.assign(new Error('contention'), { code })).request('/', {
				method: 'POST'
			});
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('1');
			expect((await res.json()).error.code).toBe('busy');
		});

	it('another database error stays an internal error', async () => {
		const res = await appThrowing(Object.assign(new Error('syntax'), { code: '42601' })).request(
			'/',
			{ method: 'POST' }
		);
		expect(res.status).toBe(500);
	});
});
