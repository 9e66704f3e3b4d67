// Server-sent events read from an append-only table, so every process sees every event and a
// reconnecting client (Last-Event-ID) gets exactly what it missed. Used by the queue and by
// video sessions.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** Beyond this many missed events a client is told to refetch instead of replaying them. */
export const MAX_REPLAY = 500;
const POLL_MS = 300;
const HEARTBEAT_MS = 15_000;

export interface EventLog {
	newestId(): number;
	after(id: number, limit: number): { id: number; event: string; data: string }[];
	/** Checked on every round: the stream closes once the client may no longer follow it. */
	allowed?(): boolean;
}

export function streamEventLog(c: Context, log: EventLog, lastEventId: number | null): Response {
	// a client that may no longer follow and has seen everything: 204 tells EventSource not to
	// reconnect (otherwise it would come back every few seconds forever)
	if (log.allowed && !log.allowed() && lastEventId !== null && lastEventId >= log.newestId())
		return c.body(null, 204);
	return streamSSE(c, async (stream) => {
		let open = true;
		stream.onAbort(() => {
			open = false;
		});
		const newest = log.newestId();
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
			const events = log.after(last, 100);
			if (log.allowed && !log.allowed()) {
				// deliver what led here (the removal, the end), then stop
				for (const e of events)
					await stream.writeSSE({ id: String(e.id), event: e.event, data: e.data });
				break;
			}
			for (const e of events) {
				await stream.writeSSE({ id: String(e.id), event: e.event, data: e.data });
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

/** The Last-Event-ID a client sent, as header (EventSource) or query (first connect). */
export function lastEventIdOf(
	header: string | undefined,
	query: number | undefined
): number | null {
	if (header !== undefined && /^\d+$/.test(header)) return Number(header);
	return query ?? null;
}
