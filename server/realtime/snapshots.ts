// A server-sent event stream of snapshots: the state is recomputed every POLL_MS and sent only
// when it changed. The event id is the snapshot's version (a digest of its content), so a client
// reconnecting with Last-Event-ID gets nothing until something changes, and any other client
// gets the current snapshot at once. Nothing lives only in memory: every process computes the
// same snapshot from the database. (The event-log streams of queue, video and cases use
// server/realtime/sse.ts; a dashboard has no log to replay, only a current state.)
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

export const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

export interface SnapshotSource<T> {
	take(): T;
	version(snapshot: T): string;
	/** Checked on every round: the stream closes once the client may no longer follow it. */
	allowed(): boolean;
}

export function streamSnapshots<T>(
	c: Context,
	source: SnapshotSource<T>,
	lastEventId: string | undefined,
	onError: (err: Error) => void
): Response {
	return streamSSE(c, async (stream) => {
		let open = true;
		stream.onAbort(() => {
			open = false;
		});
		try {
			await stream.write('retry: 2000\n\n');
			let last = lastEventId ?? null;
			let quietSince = Date.now();
			while (open && source.allowed()) {
				const snapshot = source.take();
				const version = source.version(snapshot);
				if (version !== last) {
					await stream.writeSSE({ id: version, event: 'snapshot', data: JSON.stringify(snapshot) });
					last = version;
					quietSince = Date.now();
				} else if (Date.now() - quietSince > HEARTBEAT_MS) {
					await stream.write(': keep-alive\n\n');
					quietSince = Date.now();
				}
				await stream.sleep(POLL_MS);
			}
		} catch (err) {
			// logged here, not sent: the client reconnects and gets a fresh snapshot
			if (open) onError(err instanceof Error ? err : new Error(String(err)));
		}
	});
}
