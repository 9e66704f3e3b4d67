// Rolling restarts (issue 22, item 5): a node told to stop (SIGTERM) ends its event streams at
// once instead of holding them open until the shutdown timeout. Each browser's EventSource comes
// back 2 s later (the `retry` the streams send) through the balancer, which by then sends it to
// another node, and replays what it missed from its Last-Event-ID. Only this process's streams:
// the other nodes' stay open.
const streams = new Set<() => void>();
let draining = false;

/** Registers a stream's close; returns the unregister. A stream opened while draining ends at once. */
export function onDrain(close: () => void): () => void {
	if (draining) queueMicrotask(close);
	streams.add(close);
	return () => streams.delete(close);
}

/** Ends every open stream of this process; new ones end as soon as they open. */
export function drainStreams(): number {
	draining = true;
	const open = [...streams];
	streams.clear();
	for (const close of open) close();
	return open.length;
}

export function isDraining(): boolean {
	return draining;
}
