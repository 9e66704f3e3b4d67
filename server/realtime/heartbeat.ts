// Keep-alive comments for open streams (proxies drop a connection that says nothing for long):
// one timer for all streams of the process, not one per stream per wait, so waking a stream
// for an event costs no timer at all.
export const HEARTBEAT_MS = 15_000;
const TICK_MS = 1000;

interface Beating {
	quietSince: number;
	beat: () => void;
}

const streams = new Set<Beating>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick() {
	const now = Date.now();
	for (const s of streams)
		if (now - s.quietSince >= HEARTBEAT_MS) {
			s.quietSince = now;
			s.beat();
		}
}

/** Calls `beat` whenever the stream said nothing for HEARTBEAT_MS; `touch` when it said something. */
export function keepAlive(beat: () => void): { touch(): void; stop(): void } {
	const entry: Beating = { quietSince: Date.now(), beat };
	streams.add(entry);
	if (!timer) {
		timer = setInterval(tick, TICK_MS);
		timer.unref();
	}
	return {
		touch: () => void (entry.quietSince = Date.now()),
		stop() {
			streams.delete(entry);
			if (!streams.size && timer) {
				clearInterval(timer);
				timer = null;
			}
		}
	};
}
