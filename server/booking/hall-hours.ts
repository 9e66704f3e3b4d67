// When a hall is open: the union of the weekly hours of its org unit's active schedules, none on
// a day closed for the whole org unit (a holiday or a closure). The queue asks it when the hall
// opens next (no estimate while no desk is open) and when it closes (tickets still waiting then
// are cancelled; an estimate running past it says so).
import type { Deps } from '../deps.ts';
import type { Engine } from '../engine.ts';
import { addDays, isoWeekday, localDate, zonedTime } from '../../shared/dates.ts';
import { createBookingRepo } from './repo.ts';
import type { WeekHours } from './slots.ts';
import { BOOKING_DAYS } from './availability.ts';

export interface OpenPeriod {
	open: number;
	close: number;
}

// Every ticket read and every take asks for the hall's hours: kept until the schedules or the
// closures may have changed (the engine's stamp of those two tables: a ticket taken does not
// move it), never from inside a transaction that may still roll back (nor while one is open on
// the connection: the stamp would count its uncommitted rows). The stamp is null where the
// engine cannot tell cheaply (PostgreSQL): then every call reads.
const cached = new WeakMap<Engine, { stamp: string; periods: Map<string, OpenPeriod[]> }>();

/**
 * The hall's opening periods on a date (hall-local), merged and in order. `change`, here and
 * below: the database's change stamp the caller already took, if it did (see hoursStamp).
 */
export async function hallPeriodsOn(
	deps: Deps,
	orgUnitId: string,
	date: string,
	change?: string | null
): Promise<OpenPeriod[]> {
	return periodsAt(deps, orgUnitId, date, hoursStamp(deps, change));
}

const HOURS_TABLES = ['schedules', 'closures'];

/** The tables' stamp last taken, and the database's change stamp taken before it. */
const lastTaken = new WeakMap<Engine, { change: string; tables: string }>();

/**
 * The stamp the hours are kept under (null inside a transaction: then they are read, not kept).
 * `change`: the database's change stamp the caller took for its whole view (server/queue/
 * queue.ts, hallFacts), before this: while it has not moved since the tables' stamp was last
 * taken, neither has that, and a ticket read spares the statement.
 */
function hoursStamp(deps: Deps, change?: string | null): string | null {
	if (deps.store.inTransaction) return null;
	const last = change ? lastTaken.get(deps.engine) : undefined;
	// (another request's write open meanwhile: the store's reads wait for its end, so what they
	// keep under this older stamp is committed, and only views as old as it use it)
	if (last && last.change === change) return last.tables;
	const tables = deps.engine.tablesStamp(HOURS_TABLES);
	if (change && tables) lastTaken.set(deps.engine, { change, tables });
	return tables;
}

/** The periods kept under `stamp`, or read when there is none. */
async function periodsAt(
	deps: Deps,
	orgUnitId: string,
	date: string,
	stamp: string | null
): Promise<OpenPeriod[]> {
	if (stamp === null) return readHallPeriods(deps, orgUnitId, date);
	let cache = cached.get(deps.engine);
	if (!cache || cache.stamp !== stamp || cache.periods.size > 1000) {
		cache = { stamp, periods: new Map() };
		cached.set(deps.engine, cache);
	}
	const key = `${orgUnitId}|${date}`;
	let periods = cache.periods.get(key);
	if (!periods) {
		periods = await readHallPeriods(deps, orgUnitId, date);
		// a stamp taken before the read: a change that committed in between only makes the
		// next call read again
		cache.periods.set(key, periods);
	}
	return periods.map((p) => ({ ...p }));
}

async function readHallPeriods(deps: Deps, orgUnitId: string, date: string): Promise<OpenPeriod[]> {
	const repo = createBookingRepo(deps.store);
	// '' matches no item: only closures of the whole org unit close the hall
	if ((await repo.closuresOn(date, orgUnitId, '')).length) return [];
	const tz = deps.config.timeZone;
	const periods = (await repo.schedulesOfOrgUnit(orgUnitId))
		.flatMap((s) => (JSON.parse(s.hours) as WeekHours)[String(isoWeekday(date))] ?? [])
		.map(([open, close]) => ({
			open: zonedTime(date, open, tz),
			close: zonedTime(date, close, tz)
		}))
		.sort((a, b) => a.open - b.open);
	const merged: OpenPeriod[] = [];
	for (const p of periods) {
		const last = merged[merged.length - 1];
		if (last && p.open <= last.close) last.close = Math.max(last.close, p.close);
		else merged.push({ ...p });
	}
	return merged;
}

/** Is the hall open at this instant? */
export async function hallOpenAt(
	deps: Deps,
	orgUnitId: string,
	at: number,
	change?: string | null
): Promise<boolean> {
	const date = localDate(at, deps.config.timeZone);
	return (await hallPeriodsOn(deps, orgUnitId, date, change)).some(
		(p) => p.open <= at && at < p.close
	);
}

/** The next time the hall opens after this instant (within the booking window), or null. */
export async function nextHallOpening(
	deps: Deps,
	orgUnitId: string,
	after: number,
	change?: string | null
): Promise<number | null> {
	const first = localDate(after, deps.config.timeZone);
	// one stamp for the fourteen days looked at
	const stamp = hoursStamp(deps, change);
	for (let i = 0; i < BOOKING_DAYS; i++) {
		const next = (await periodsAt(deps, orgUnitId, addDays(first, i), stamp)).find(
			(p) => p.open > after
		);
		if (next) return next.open;
	}
	return null;
}

/** When the hall closes for the day on a date (its last period's end), or null when it does not open. */
export async function hallClosingOn(
	deps: Deps,
	orgUnitId: string,
	date: string,
	change?: string | null
): Promise<number | null> {
	const periods = await hallPeriodsOn(deps, orgUnitId, date, change);
	return periods.length ? periods[periods.length - 1].close : null;
}
