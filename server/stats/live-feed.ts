// The dashboard's live snapshot, computed once per org scope per change and shared by every
// viewer of that scope (not once per viewer per second). A change is a queue or video-session
// event anywhere (heard on the bus; a burst within SETTLE_MS costs one computation), or a new
// minute (waits are shown in whole minutes, so time alone moves them).
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';
import type { SnapshotFeed } from '../realtime/snapshots.ts';
import { snapshotOfScope, snapshotVersion, type LiveScope } from './live.ts';

export const SETTLE_MS = 100;
const MINUTE_MS = 60_000;

type Viewer = (version: string, data: string) => void;

interface Scope {
	scope: LiveScope;
	viewers: Set<Viewer>;
	/** null until the first computation is done */
	current: { version: string; data: string } | null;
	/** the computations of this scope, one after the other, so a later one is never overtaken */
	chain: Promise<void>;
	/** a computation is waiting in the chain (not started yet): another change needs no more */
	queued: boolean;
}

interface Hub {
	scopes: Map<string, Scope>;
	stop: (() => void) | null;
}

const hubs = new WeakMap<Engine, Hub>();

async function compute(deps: Deps, s: Pick<Scope, 'scope'>) {
	const snapshot = await snapshotOfScope(deps, s.scope);
	return { version: snapshotVersion(snapshot), data: JSON.stringify(snapshot) };
}

/** Computes the scope's snapshot again (after those already under way) and sends it if it changed. */
function refresh(deps: Deps, s: Scope) {
	if (s.queued) return;
	s.queued = true;
	s.chain = s.chain.then(async () => {
		s.queued = false;
		try {
			const next = await compute(deps, s);
			if (next.version === s.current?.version) return;
			s.current = next;
			for (const send of [...s.viewers]) send(next.version, next.data);
		} catch (err) {
			deps.log('live snapshot failed', { error: String(err) });
		}
	});
}

function recomputeAll(deps: Deps, hub: Hub) {
	for (const s of hub.scopes.values()) refresh(deps, s);
}

/** Listens while any scope has a viewer: the bus for changes, a timer for the minute. */
function watch(deps: Deps, hub: Hub): () => void {
	const bus = deps.engine.events;
	let settle: ReturnType<typeof setTimeout> | null = null;
	const changed = () => {
		settle ??= setTimeout(() => {
			settle = null;
			recomputeAll(deps, hub);
		}, SETTLE_MS);
	};
	const stops = [bus.subscribe('hall:*', changed), bus.subscribe('session:*', changed)];
	const minute = setInterval(changed, MINUTE_MS);
	minute.unref();
	return () => {
		for (const stop of stops) stop();
		clearInterval(minute);
		if (settle) clearTimeout(settle);
	};
}

export function liveFeed(deps: Deps, scope: LiveScope): SnapshotFeed {
	let hub = hubs.get(deps.engine);
	if (!hub) hubs.set(deps.engine, (hub = { scopes: new Map(), stop: null }));
	const h = hub;
	const key = `${scope.unit.id}\0${[...scope.units].sort().join(',')}`;
	return {
		follow(send) {
			let s = h.scopes.get(key);
			if (!s) {
				s = { scope, viewers: new Set(), current: null, chain: Promise.resolve(), queued: false };
				h.scopes.set(key, s);
				h.stop ??= watch(deps, h);
				// the first snapshot reaches every viewer that came meanwhile
				refresh(deps, s);
			}
			const mine = s;
			mine.viewers.add(send);
			if (mine.current) send(mine.current.version, mine.current.data);
			return () => {
				mine.viewers.delete(send);
				if (mine.viewers.size || h.scopes.get(key) !== mine) return;
				h.scopes.delete(key);
				if (!h.scopes.size) {
					h.stop?.();
					h.stop = null;
				}
			};
		}
	};
}
