// The hall's waiting order (排队位置), computed once per queue change rather than once per ticket
// read (issue 19): a snapshot per hall and day, kept in memory per connection and keyed by the
// hall's latest queue event id. Every change to the waiting tickets appends a queue event in the
// same transaction, under the hall's lock (so on PostgreSQL too a hall's event ids commit in
// order), so a change made by another process sharing the database moves that id and the next
// read recomputes. On PostgreSQL there is no change stamp: every read asks for that id. Time
// alone also changes the order (an appointment's check-in falls due at its slot start), so a
// snapshot is only used between two such instants. A writer derives the snapshot after its
// change from the one before (changedWaitingOrder): one ticket out of, or into, one part of one
// line (line-order.ts).
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';
import { localDate } from '../../shared/dates.ts';
import { lineOf, type DeskView, type QueueEntry } from './order.ts';
import { EntryIndex } from './entry-index.ts';
import { EntryRun } from './entry-run.ts';
import {
	EMPTY_LINE,
	lineSize,
	lineValidity,
	orderOfPart,
	partOf,
	placeOf,
	rankIn,
	visitLine,
	withEntry,
	withoutEntry,
	type Line,
	type LineEdit,
	type Part
} from './line-order.ts';
import { createQueueRepo } from './repo.ts';

export interface WaitingOrderSnapshot {
	hallId: string;
	day: string;
	/** The hall's latest queue event id when computed. */
	version: number;
	/** Each line (see lineOf) in the parts its calling order merges (line-order.ts). */
	lines: ReadonlyMap<string, Line>;
	/** The waiting tickets, as the calling order sees them. */
	byId: EntryIndex;
	lastCallWasPriority: boolean;
	/** The instant the parts were sorted at: any instant from validFrom to validUntil sorts them alike. */
	at: number;
	validFrom: number;
	validUntil: number;
}

/** How many tickets are called before this waiting one, or undefined when it is not waiting. */
export function aheadOf(s: WaitingOrderSnapshot, id: string): number | undefined {
	const e = s.byId.get(id);
	const line = e && s.lines.get(lineOf(e));
	if (!e || !line) return undefined;
	const part = partOf(e, s.at);
	const rank = rankIn(line, part, e);
	return line[part].at(rank) === e ? placeOf(line, part, rank, s.lastCallWasPriority) : undefined;
}

/**
 * Who a desk calls next (order.ts, pickNext) from the heads of its lines' parts: O(lines), not a
 * read and sort of every waiting ticket. The snapshot must be current at `now` (waitingOrderOf).
 */
export function nextForDesk(s: WaitingOrderSnapshot, desk: DeskView): QueueEntry | null {
	const targeted = s.lines.get(`desk:${desk.id}`)?.desk.at(0);
	if (targeted) return targeted;
	const lines = [...new Set(desk.categories)].flatMap((c) => s.lines.get(`category:${c}`) ?? []);
	const first = (part: Part) => {
		const compare = orderOfPart(part);
		let best: QueueEntry | undefined;
		for (const line of lines) {
			const head = line[part].at(0);
			if (head && (!best || compare(head, best) < 0)) best = head;
		}
		return best;
	};
	const due = first('due');
	if (due) return due;
	const priority = first('priority');
	const regular = first('regular');
	if (priority && !(s.lastCallWasPriority && regular)) return priority;
	return regular ?? first('early') ?? null;
}

/** Every waiting ticket's place (tests compare snapshots by it). */
export function placesOf(s: WaitingOrderSnapshot): Map<string, number> {
	const places = new Map<string, number>();
	for (const line of s.lines.values())
		visitLine(line, s.lastCallWasPriority, (e, _part, _rank, place) => places.set(e.id, place));
	return places;
}

/** The waiting tickets, line by line. */
export function entriesOf(s: WaitingOrderSnapshot): QueueEntry[] {
	const entries: QueueEntry[] = [];
	for (const line of s.lines.values())
		visitLine(line, s.lastCallWasPriority, (e) => entries.push(e));
	return entries;
}

interface Pending {
	snapshot: WaitingOrderSnapshot;
	/** The payload of the event it was computed for: proves the event committed (SQLite reuses ids after a rollback). */
	payload: string;
}

const snapshots = new WeakMap<Engine, Map<string, WaitingOrderSnapshot>>();
/** The database's change stamp when a kept snapshot was last found current. */
const checkedAt = new WeakMap<WaitingOrderSnapshot, string>();
const pending = new WeakMap<Engine, Map<string, Pending>>();

function mapOf<V>(store: WeakMap<Engine, Map<string, V>>, db: Engine): Map<string, V> {
	let map = store.get(db);
	if (!map) {
		map = new Map();
		store.set(db, map);
	}
	return map;
}

const keyOf = (hallId: string, day: string) => `${hallId}|${day}`;

/** How many times this process read every waiting ticket of a hall to order them (for tests). */
export const waitingOrderReads = { count: 0 };

/** Reads the waiting tickets and replays the calling order once for every line. */
export async function computeWaitingOrder(
	deps: Deps,
	hallId: string,
	day: string,
	version: number,
	/** Given by a call's writer before its event row (which this is read from) exists. */
	lastCallWasPriority?: boolean
): Promise<WaitingOrderSnapshot> {
	const repo = createQueueRepo(deps.store);
	waitingOrderReads.count++;
	const waiting = await repo.waitingEntries(hallId, day);
	return snapshotOf(
		{ hallId, day, version },
		waiting,
		deps.now(),
		lastCallWasPriority ?? (await repo.lastCallWasPriority(hallId, day))
	);
}

/** The snapshot of these waiting tickets at `now` (pure). */
export function snapshotOf(
	key: { hallId: string; day: string; version: number },
	waiting: readonly QueueEntry[],
	now: number,
	lastCallWasPriority: boolean
): WaitingOrderSnapshot {
	const parts = new Map<string, Record<Part, QueueEntry[]>>();
	for (const e of waiting) {
		const key = lineOf(e);
		let line = parts.get(key);
		if (!line) parts.set(key, (line = { due: [], priority: [], regular: [], early: [], desk: [] }));
		line[partOf(e, now)].push(e);
	}
	const lines = new Map<string, Line>();
	for (const [key, line] of parts) {
		const sorted = (part: Part) => EntryRun.of(line[part].sort(orderOfPart(part)));
		lines.set(key, {
			due: sorted('due'),
			priority: sorted('priority'),
			regular: sorted('regular'),
			early: sorted('early'),
			desk: sorted('desk')
		});
	}
	return withLines(key, lines, EntryIndex.of(waiting), now, lastCallWasPriority);
}

function withLines(
	key: { hallId: string; day: string; version: number },
	lines: ReadonlyMap<string, Line>,
	byId: EntryIndex,
	at: number,
	lastCallWasPriority: boolean
): WaitingOrderSnapshot {
	let validFrom = -Infinity;
	let validUntil = Infinity;
	for (const line of lines.values()) {
		const { from, until } = lineValidity(line);
		validFrom = Math.max(validFrom, from);
		validUntil = Math.min(validUntil, until);
	}
	return {
		hallId: key.hallId,
		day: key.day,
		version: key.version,
		lines,
		byId,
		lastCallWasPriority,
		at,
		validFrom,
		validUntil
	};
}

/** What a writer did to one waiting ticket: left the line, or joined it (again, changed). */
export interface WaitingChange {
	remove?: string;
	put?: QueueEntry;
}

/** The ticket a snapshot was changed for, and what the change did to each line it touched. */
export interface OrderEdit {
	id: string;
	lines: Map<string, LineEdit>;
}

/**
 * The snapshot after a writer's change, from the one before it, with no query: the changed
 * ticket taken out of its part and put into its new one. When time alone moved the parts since
 * `before` (an appointment fell due), its tickets are sorted again and no edit is returned. The
 * tests compare it with a fresh computation after every kind of change.
 */
export function changedWaitingOrder(
	before: WaitingOrderSnapshot,
	change: WaitingChange,
	now: number,
	lastCallWasPriority: boolean
): { after: WaitingOrderSnapshot; edit: OrderEdit | null } {
	if (change.remove && change.put && change.remove !== change.put.id)
		throw new Error('A waiting-order change takes out or puts back one ticket, not two');
	const drop = change.remove ?? change.put?.id;
	if (!(before.validFrom <= now && now < before.validUntil)) {
		const waiting = entriesOf(before).filter((e) => e.id !== drop);
		if (change.put) waiting.push(change.put);
		return { after: snapshotOf(before, waiting, now, lastCallWasPriority), edit: null };
	}
	const lines = new Map(before.lines);
	const edit: OrderEdit = { id: drop ?? '', lines: new Map() };
	let byId = before.byId;
	const old = drop === undefined ? undefined : before.byId.get(drop);
	if (old) {
		const key = lineOf(old);
		const line = lines.get(key)!;
		const part = partOf(old, before.at);
		const rank = rankIn(line, part, old);
		const rest = withoutEntry(line, part, rank);
		if (lineSize(rest)) lines.set(key, rest);
		else lines.delete(key);
		edit.lines.set(key, { removed: { part, rank } });
		byId = byId.with(old.id, null);
	}
	if (change.put) {
		const key = lineOf(change.put);
		const part = partOf(change.put, now);
		const { line, rank } = withEntry(lines.get(key) ?? EMPTY_LINE, part, change.put);
		lines.set(key, line);
		edit.lines.set(key, { ...edit.lines.get(key), inserted: { part, rank } });
		byId = byId.with(change.put.id, change.put);
	}
	return { after: withLines(before, lines, byId, now, lastCallWasPriority), edit };
}

const fresh = (s: WaitingOrderSnapshot | undefined, version: number, now: number) =>
	!!s && s.version === version && s.validFrom <= now && now < s.validUntil;

/**
 * Whether the deps' store is an open transaction's handle rather than the connection's store:
 * what such a read sees may still roll back, so it is used but never kept.
 */
function inTransaction(deps: Deps): boolean {
	return deps.store.inTransaction;
}

/**
 * The waiting order of a hall on a day (today by default), recomputed only when it changed.
 * `stamp`: the change stamp the caller took for all its reads (queue.ts, hallFacts), else now.
 */
export async function waitingOrderOf(
	deps: Deps,
	hallId: string,
	day?: string,
	stamp?: string | null
): Promise<WaitingOrderSnapshot> {
	const d = day ?? localDate(deps.now(), deps.config.timeZone);
	const repo = createQueueRepo(deps.store);
	const now = deps.now();
	const key = keyOf(hallId, d);
	const cache = mapOf(snapshots, deps.engine);
	const cached = cache.get(key);
	const kept = !inTransaction(deps);
	// nothing at all written since the snapshot was last found current: no need to ask for the
	// hall's latest event (the cheaper check of the two, on every ticket read). Taken before the
	// reads below, so a change committed while they wait only makes the next read check again.
	const current = kept ? (stamp === undefined ? deps.engine.changeStamp() : stamp) : null;
	if (cached && current && checkedAt.get(cached) === current && fresh(cached, cached.version, now))
		return cached;
	const version = await repo.lastEventId(hallId);
	// the hall's newest event id went down: its newest events were deleted (a restore, a bench's
	// or a test's clean-up), and the kept snapshot describes a state that is gone. Ids only grow
	// otherwise; a read that lost a race to a newer commit merely recomputes once more.
	// (only outside a transaction: a snapshot read there may be older than one kept meanwhile)
	if (kept && cached && cached.version > version) cache.delete(key);
	if (fresh(cached, version, now)) {
		if (current) checkedAt.set(cached!, current);
		return cached!;
	}
	// computed by the writer of the latest event: used once that event is known to be committed
	const waitingWriter = mapOf(pending, deps.engine).get(key);
	if (
		waitingWriter &&
		fresh(waitingWriter.snapshot, version, now) &&
		(await repo.eventPayload(version)) === waitingWriter.payload
	) {
		// inside a transaction the event may still roll back: used, not yet kept
		if (!kept) return waitingWriter.snapshot;
		keep(cache, key, waitingWriter.snapshot);
		if (pending.get(deps.engine)?.get(key) === waitingWriter) pending.get(deps.engine)!.delete(key);
		return waitingWriter.snapshot;
	}
	const snapshot = await computeWaitingOrder(deps, hallId, d, version);
	// a read inside a writer's transaction may see uncommitted rows: not cached. Outside one, its
	// statements are separate reads, and a commit may land between them (another request's, at an
	// await, or another process's): kept only if the hall's latest event did not move meanwhile
	if (kept && (await repo.lastEventId(hallId)) === version) keep(cache, key, snapshot);
	return snapshot;
}

/**
 * Keeps a snapshot unless a newer one was kept while this one was read (reads of concurrent
 * requests interleave at their awaits; event ids only grow once committed).
 */
function keep(
	cache: Map<string, WaitingOrderSnapshot>,
	key: string,
	snapshot: WaitingOrderSnapshot
) {
	const kept = cache.get(key);
	if (!kept || kept.version <= snapshot.version) cache.set(key, snapshot);
}

/**
 * Inside a writer's transaction, after its event row is appended: the snapshot it computed for
 * the new state, offered to later reads of this process once the event proves committed.
 */
export function offerWaitingOrder(
	deps: Deps,
	snapshot: WaitingOrderSnapshot,
	payload: string
): void {
	mapOf(pending, deps.engine).set(keyOf(snapshot.hallId, snapshot.day), { snapshot, payload });
}
