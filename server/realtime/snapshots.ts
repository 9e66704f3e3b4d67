// A server-sent event stream of snapshots: a feed pushes the current state when it changes (one
// computation shared by all its viewers, see server/stats/live-feed.ts) and the stream sends it
// on. The event id is the snapshot's version (a digest of its content), so a client reconnecting
// with Last-Event-ID gets nothing until something changes, and any other client gets the current
// snapshot at once. (The event-log streams of queue, video and cases use ./sse.ts; a dashboard
// has no log to replay, only a current state.)
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { keepAlive } from './heartbeat.ts';
import { onDrain } from './drain.ts';
import { reconnectAfterMs, type StreamOptions } from './sse.ts';

export interface SnapshotFeed {
	/** Calls `send` with the current snapshot at once, then with each new one; returns stop. */
	follow(send: (version: string, data: string) => void): () => void;
}

export function streamSnapshots(
	c: Context,
	feed: SnapshotFeed,
	lastEventId: string | undefined,
	opts: StreamOptions
): Response {
	// nginx and other proxies buffer answers unless told not to, which would hold back events
	c.header('x-accel-buffering', 'no');
	return streamSSE(c, async (stream) => {
		let open = true;
		let due = false;
		let latest = null as { version: string; data: string } | null;
		let wake: () => void = () => {};
		const close = () => {
			open = false;
			wake();
		};
		const heartbeat = keepAlive(() => {
			due = true;
			wake();
		});
		const stops = [
			feed.follow((version, data) => {
				latest = { version, data };
				wake();
			}),
			...(opts.endKeys ?? []).map((k) => opts.bus.onEnd(k, close)),
			onDrain(close)
		];
		stream.onAbort(close);
		try {
			await stream.write(`retry: ${reconnectAfterMs()}\n\n`);
			let sent = lastEventId ?? null;
			while (open) {
				const next = latest;
				if (next && next.version !== sent) {
					await stream.writeSSE({ id: next.version, event: 'snapshot', data: next.data });
					sent = next.version;
					heartbeat.touch();
				} else if (due) {
					due = false;
					await stream.write(': keep-alive\n\n');
				} else {
					await new Promise<void>((resolve) => (wake = resolve));
					wake = () => {};
				}
			}
		} finally {
			heartbeat.stop();
			for (const stop of stops) stop();
		}
	});
}
