import { pingLiveKit, type LiveKitGateway } from './livekit.ts';

export interface Reachability {
	ok: boolean;
	/** ms since epoch of the answer (or the failure); 0 before the first check */
	checkedAt: number;
	error?: string;
}

/** How often LiveKit is asked while the hall runs: a stopped server is seen within this. */
export const LIVEKIT_PROBE_EVERY_MS = 3_000;
const PROBE_TIMEOUT_MS = 2_000;

interface Monitor {
	state: Reachability;
	inflight: Promise<Reachability> | null;
	timer: ReturnType<typeof setInterval> | null;
}

const monitors = new WeakMap<LiveKitGateway, Monitor>();

function monitorOf(livekit: LiveKitGateway): Monitor {
	let m = monitors.get(livekit);
	if (!m) {
		m = { state: { ok: false, checkedAt: 0 }, inflight: null, timer: null };
		monitors.set(livekit, m);
	}
	return m;
}

/** One question to LiveKit at a time, however many callers ask. */
function probe(livekit: LiveKitGateway, m: Monitor): Promise<Reachability> {
	m.inflight ??= pingLiveKit(livekit, PROBE_TIMEOUT_MS)
		.then(
			(): Reachability => ({ ok: true, checkedAt: Date.now() }),
			(err): Reachability => ({
				ok: false,
				checkedAt: Date.now(),
				error: err instanceof Error ? err.message : String(err)
			})
		)
		.then((state) => {
			m.state = state;
			m.inflight = null;
			return state;
		});
	return m.inflight;
}

/** Asks LiveKit in the background every few seconds (unref'd: it never keeps a process alive). */
export function watchLiveKit(livekit: LiveKitGateway, everyMs = LIVEKIT_PROBE_EVERY_MS): void {
	const m = monitorOf(livekit);
	if (m.timer) return;
	m.timer = setInterval(() => void probe(livekit, m), everyMs);
	m.timer.unref();
	void probe(livekit, m);
}

/** A fresh "up" from the background probe, or null when LiveKit must be asked (down, old, never). */
export function knownReachability(livekit: LiveKitGateway): Reachability | null {
	const m = monitorOf(livekit);
	return m.state.ok && Date.now() - m.state.checkedAt < 2 * LIVEKIT_PROBE_EVERY_MS ? m.state : null;
}

/**
 * LiveKit's reachability without waiting longer than maxWaitMs. A fresh "up" is answered from
 * memory (a burst of joins or health checks costs nothing); a "down" or an old answer is asked
 * again at once, so a recovered server is seen by the very next caller.
 */
export async function liveKitReachability(
	livekit: LiveKitGateway,
	maxWaitMs: number
): Promise<Reachability> {
	const known = knownReachability(livekit);
	if (known) return known;
	const m = monitorOf(livekit);
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<Reachability>((resolve) => {
		timer = setTimeout(
			() =>
				resolve(
					m.state.checkedAt
						? m.state
						: { ok: false, checkedAt: 0, error: `no answer within ${maxWaitMs} ms` }
				),
			maxWaitMs
		);
	});
	try {
		return await Promise.race([probe(livekit, m), late]);
	} finally {
		clearTimeout(timer);
	}
}
