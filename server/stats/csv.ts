// A dashboard table as CSV, for the chosen range and scope; every export is audited.
import { toCsv } from '../http/csv.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { StatsTable } from '../../shared/schemas/stats.ts';
import { historyTables } from './history.ts';
import { orgScope } from './scope.ts';

/** Columns of each table, in order; the CSV header is their snake_case form. */
const COLUMNS: { [T in StatsTable]: string[] } = {
	volumes: ['day', 'video', 'onsite', 'total', 'checkIns', 'appointments'],
	waits: ['day', 'count', 'p50Minutes', 'p90Minutes', 'averageMinutes'],
	service: ['day', 'count', 'averageMinutes', 'p50Minutes'],
	noShows: ['day', 'called', 'noShows', 'rate'],
	ratings: ['score', 'count', 'share'],
	ratingSummary: [
		'count',
		'average',
		'satisfied',
		'satisfactionRate',
		'followUpsOpen',
		'followUpsOverdue',
		'followUpsResolved',
		'followUpsCancelled'
	],
	guidance: [
		'orgUnitId',
		'orgUnitName',
		'requests',
		'accepted',
		'cancelled',
		'waiting',
		'finished',
		'totalMinutes',
		'averageMinutes',
		'averageWaitMinutes',
		'longestWaitMinutes'
	],
	assistant: ['day', 'questions', 'answered', 'unanswered', 'offTopic', 'handoffs'],
	topUnanswered: ['question', 'count', 'lastAskedAt']
};

export async function statsCsv(
	deps: Deps,
	user: User,
	q: { table: StatsTable; from: string; to: string; orgUnit?: string }
): Promise<{ filename: string; body: string }> {
	const { units } = await orgScope(deps, user, q.orgUnit);
	const data = (await historyTables(deps, units, q.from, q.to, q.table))[q.table]!;
	const rows = (Array.isArray(data) ? data : [data]) as Record<string, unknown>[];
	await recordAudit(deps, {
		action: 'export.csv',
		target: { type: 'stats', id: q.table },
		detail: { from: q.from, to: q.to, orgUnits: units.length, rows: rows.length }
	});
	return { filename: `${q.table}-${q.from}-${q.to}.csv`, body: toCsv(COLUMNS[q.table], rows) };
}
