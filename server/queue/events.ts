// Server-sent events of a hall, read from the queue_events table, so every process sees every
// event and a reconnecting client (Last-Event-ID) gets exactly what it missed.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Deps } from '../deps.ts';
import { createQueueRepo } from './repo.ts';

/** Beyond this many missed events a client is told to refetch instead of replaying them. */
export const MAX_REPLAY = 500;
const POLL_MS = 300;
const HEARTBEAT_MS = 15_000;

export function streamHallEvents(
	c: Context,
	deps: Deps,
	hallId: string,
	lastEventId: number | null
) {
	const repo = createQueueRepo(deps.db);
	return streamSSE(c, async (stream) => {
		let open = true;
		stream.onAbort(() => {
			open = false;
		});
		const newest = repo.lastEventId(hallId);
		let last = lastEventId ?? newest;
		if (lastEventId !== null && newest - lastEventId > MAX_REPLAY) {
			await stream.writeSSE({ id: String(newest), event: 'refetch', data: '{}' });
			last = newest;
		}
		await stream.writeSSE({
			event: 'ready',
			data: JSON.stringify({ lastEventId: last }),
			retry: 2000
		});
		let quietSince = Date.now();
		while (open) {
			const events = repo.eventsAfter(hallId, last, 100);
			for (const e of events) {
				await stream.writeSSE({ id: String(e.id), event: e.type, data: e.payload });
				last = e.id;
			}
			if (events.length) quietSince = Date.now();
			else if (Date.now() - quietSince > HEARTBEAT_MS) {
				await stream.write(': keep-alive\n\n');
				quietSince = Date.now();
			}
			if (events.length < 100) await stream.sleep(POLL_MS);
		}
	});
}
