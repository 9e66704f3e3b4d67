// A node told to stop (SIGTERM, a rolling restart) ends its event streams at once, so browsers
// reconnect through the balancer to another node instead of waiting out the shutdown timeout;
// a stream opened after that ends as soon as it opens. Its own file: draining is for the process.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { drainStreams } from '../../server/realtime/drain.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let hallId: string;
beforeAll(async () => {
	h = await createHarness();
	hallId = (
		(await (await h.request('GET', '/api/queue/halls')).json()).halls as { id: string }[]
	)[0].id;
});
afterAll(() => h.close());

/** Reads a stream to its end (or fails after ms); returns what it sent. */
async function readToEnd(res: Response, ms = 5_000): Promise<string> {
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const deadline = Date.now() + ms;
	for (;;) {
		const chunk = await Promise.race([
			reader.read(),
			new Promise<never>((_, reject) =>
				setTimeout(() => reject(new Error(`still open: ${text}`)), deadline - Date.now())
			)
		]);
		if (chunk.done) return text;
		text += decoder.decode(chunk.value);
	}
}

it('a stopping node ends its hall streams at once, and new ones as they open', async () => {
	const open = await h.request('GET', `/api/queue/events?hallId=${hallId}`);
	expect(open.status).toBe(200);
	const ending = readToEnd(open);
	await new Promise((r) => setTimeout(r, 100));
	expect(drainStreams()).toBeGreaterThanOrEqual(1);
	// the stream said when to come back (1 to 3.5 s, drawn per stream) before it ended
	const retry = Number(/retry: (\d+)/.exec(await ending)?.[1]);
	expect(retry).toBeGreaterThanOrEqual(1000);
	expect(retry).toBeLessThanOrEqual(3500);
	const late = await h.request('GET', `/api/queue/events?hallId=${hallId}`);
	await readToEnd(late);
});
