// 一件事一次办 figures per life event (issue 24 item 7): of the applications created in the range
// and filed in the caller's scope (org unit and below, by the application's org unit), how many
// were submitted, completed, rejected, are still in progress and were returned at least once;
// the median and mean working days from the first submission to completion (counted as the
// promised time limit counts them); and per department the time from its part's start to its
// approval, naming the slowest department (the longest mean).
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type {
	LifeEventDepartmentRow,
	LifeEventStatsRow
} from '../../shared/schemas/life-event-stats.ts';
import { addDays, localDate, zonedTime, type DateString } from '../../shared/dates.ts';
import { isWorkingDay, type WorkCalendar } from '../../shared/workdays.ts';
import { toCsv } from '../http/csv.ts';
import { recordAudit } from '../audit/audit.ts';
import { loadCalendar } from '../ratings/calendar.ts';
import { average, percentile } from './figures.ts';
import { createLifeEventStatsRepo, type PartFactRow } from './life-events-repo.ts';
import { orgScope } from './scope.ts';

type Range = { from: string; to: string; orgUnit?: string };

const HOUR = 3_600_000;
const oneDecimal = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/**
 * Working days from one hall-local day to a later one: the working days after `from` up to and
 * including `to` (the day of submission does not count, as in a time limit's due day).
 */
export function workingDaysBetween(from: DateString, to: DateString, calendar: WorkCalendar) {
	let n = 0;
	for (let day = addDays(from, 1); day <= to; day = addDays(day, 1))
		if (isWorkingDay(day, calendar)) n++;
	return n;
}

function departmentRows(parts: PartFactRow[]): LifeEventDepartmentRow[] {
	const byDepartment = new Map<string, PartFactRow[]>();
	for (const p of parts)
		byDepartment.set(p.department_id, [...(byDepartment.get(p.department_id) ?? []), p]);
	return [...byDepartment.values()]
		.map((mine) => {
			const spans = mine
				.filter((p) => p.started_at !== null && p.approved_at !== null)
				.map((p) => (p.approved_at! - p.started_at!) / HOUR)
				.sort((a, b) => a - b);
			return {
				departmentId: mine[0].department_id,
				departmentName: mine[0].department_name,
				parts: mine.length,
				approved: spans.length,
				meanHours: oneDecimal(average(spans)),
				medianHours: oneDecimal(percentile(spans, 50))
			};
		})
		.sort((a, b) => a.departmentName.localeCompare(b.departmentName, 'zh-CN'));
}

/** The department with the longest mean time to approval; ties go to the first by name. */
function slowest(departments: LifeEventDepartmentRow[]): LifeEventDepartmentRow | null {
	let worst: LifeEventDepartmentRow | null = null;
	for (const d of departments)
		if (d.meanHours !== null && (worst === null || d.meanHours > worst.meanHours!)) worst = d;
	return worst;
}

export async function lifeEventFigures(
	deps: Deps,
	user: User,
	q: Range
): Promise<LifeEventStatsRow[]> {
	const { units } = await orgScope(deps, user, q.orgUnit);
	const tz = deps.config.timeZone;
	const repo = createLifeEventStatsRepo(deps.store);
	const start = zonedTime(q.from, '00:00', tz);
	const end = zonedTime(addDays(q.to, 1), '00:00', tz);
	const [events, applications, parts, calendar] = await Promise.all([
		repo.lifeEvents(),
		repo.applications(units, start, end),
		repo.parts(units, start, end),
		loadCalendar(deps)
	]);
	return events.map((event) => {
		const mine = applications.filter((a) => a.theme_item_id === event.id);
		const submitted = mine.filter((a) => a.submitted_at !== null);
		const days = mine
			.filter((a) => a.submitted_at !== null && a.completed_at !== null)
			.map((a) =>
				workingDaysBetween(localDate(a.submitted_at!, tz), localDate(a.completed_at!, tz), calendar)
			)
			.sort((a, b) => a - b);
		const departments = departmentRows(parts.filter((p) => p.theme_item_id === event.id));
		const worst = slowest(departments);
		const count = (status: string) => mine.filter((a) => a.status === status).length;
		return {
			themeItemId: event.id,
			themeName: event.name,
			timeLimitDays: event.time_limit_days,
			started: mine.length,
			submitted: submitted.length,
			completed: count('completed'),
			rejected: count('rejected'),
			inProgress: submitted.filter((a) => !['completed', 'rejected'].includes(a.status)).length,
			returnedOnce: mine.filter((a) => a.returned === 1).length,
			medianWorkingDays: percentile(days, 50),
			meanWorkingDays: oneDecimal(average(days)),
			slowestDepartmentId: worst?.departmentId ?? null,
			slowestDepartmentName: worst?.departmentName ?? null,
			slowestDepartmentMeanHours: worst?.meanHours ?? null,
			departments
		};
	});
}

/** The life events' CSV: one line per life event, its departments named by the slowest one. */
const COLUMNS = [
	'themeItemId',
	'themeName',
	'timeLimitDays',
	'started',
	'submitted',
	'completed',
	'rejected',
	'inProgress',
	'returnedOnce',
	'medianWorkingDays',
	'meanWorkingDays',
	'slowestDepartmentName',
	'slowestDepartmentMeanHours'
];

/** The departments' CSV: one line per life event and department. */
const DEPARTMENT_COLUMNS = [
	'themeItemId',
	'themeName',
	'departmentId',
	'departmentName',
	'parts',
	'approved',
	'meanHours',
	'medianHours'
];

/**
 * The rows as CSV, a line per life event or per life event and department; every export is
 * audited, as the other figures' are.
 */
export async function lifeEventCsv(
	deps: Deps,
	user: User,
	q: Range,
	table: 'lifeEvents' | 'lifeEventDepartments'
) {
	const events = await lifeEventFigures(deps, user, q);
	const rows =
		table === 'lifeEvents'
			? events
			: events.flatMap((e) =>
					e.departments.map((d) => ({ themeItemId: e.themeItemId, themeName: e.themeName, ...d }))
				);
	await recordAudit(deps, {
		action: 'export.csv',
		target: { type: 'stats', id: table },
		detail: { from: q.from, to: q.to, rows: rows.length }
	});
	return {
		filename: `${table === 'lifeEvents' ? 'life-events' : 'life-event-departments'}-${q.from}-${q.to}.csv`,
		body: toCsv(
			table === 'lifeEvents' ? COLUMNS : DEPARTMENT_COLUMNS,
			rows as unknown as Record<string, unknown>[]
		)
	};
}
