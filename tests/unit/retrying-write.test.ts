// The web's retry of a write after a dropped connection (issue 22, item 5): every try carries the
// same Idempotency-Key, only failures on the way are retried, and the API's own refusals are
// answered at once.
import { describe, expect, it } from 'vitest';
import { RETRY_PAUSES_MS, retryingWrite } from '../../web/lib/api.ts';

const noPause = async () => {};
const apiError = (status: number, code: string) =>
	new Response(JSON.stringify({ error: { code, message: code } }), {
		status,
		headers: { 'content-type': 'application/json' }
	});

function scripted(answers: (Response | Error)[]) {
	const keys: (string | null)[] = [];
	const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
		keys.push(new Headers(init?.headers).get('idempotency-key'));
		const next = answers.shift();
		if (!next) throw new Error('no more answers');
		if (next instanceof Error) throw next;
		return next;
	};
	return { fetch: fetch as typeof globalThis.fetch, keys };
}

describe('retryingWrite', () => {
	it('a dropped connection and a 502 from the balancer are tried again, under one key', async () => {
		const s = scripted([
			new TypeError('Failed to fetch'),
			new Response('bad gateway', { status: 502 }),
			new Response('{}', { status: 201 })
		]);
		const res = await retryingWrite(s.fetch, noPause)('/api/queue/tickets', {
			method: 'POST',
			body: '{}'
		});
		expect(res.status).toBe(201);
		expect(s.keys).toHaveLength(3);
		expect(new Set(s.keys).size).toBe(1);
		expect(s.keys[0]).toMatch(/^w-[0-9a-f-]{36}$/);
	});

	it("the API's busy is tried again; its other 503s and its refusals are answered at once", async () => {
		const busy = scripted([apiError(503, 'busy'), new Response('{}', { status: 200 })]);
		expect((await retryingWrite(busy.fetch, noPause)('/x', { method: 'POST' })).status).toBe(200);
		expect(busy.keys).toHaveLength(2);
		for (const answer of [apiError(503, 'video_unavailable'), apiError(409, 'stale_revision')]) {
			const s = scripted([answer]);
			expect((await retryingWrite(s.fetch, noPause)('/x', { method: 'POST' })).status).toBe(
				answer.status
			);
			expect(s.keys).toHaveLength(1);
		}
	});

	it('gives up after the last pause: the last failure is what the page sees', async () => {
		const tries = RETRY_PAUSES_MS.length + 1;
		const s = scripted(Array.from({ length: tries }, () => new TypeError('Failed to fetch')));
		await expect(retryingWrite(s.fetch, noPause)('/x', { method: 'POST' })).rejects.toThrow(
			'Failed to fetch'
		);
		expect(s.keys).toHaveLength(tries);
		// a new write is a new key
		const other = scripted([new Response('{}', { status: 201 })]);
		await retryingWrite(other.fetch, noPause)('/x', { method: 'POST' });
		expect(other.keys[0]).not.toBe(s.keys[0]);
	});
});
