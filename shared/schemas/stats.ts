// 数据看板: the supervisor's live and historical figures, and an agent's own day. Every history
// table is an array of flat rows, so the dashboard draws charts and exports CSV from the same
// rows (GET /api/stats/history.csv?table=<key>).
import { z } from 'zod';
import { addDays, isDateString } from '../dates.ts';

/** The longest range a history query may cover, in days (both ends included). */
export const STATS_MAX_DAYS = 92;

/** Names of the history tables, as keys of the JSON answer and `table` of the CSV export. */
export const STATS_TABLES = [
	'volumes',
	'waits',
	'service',
	'noShows',
	'ratings',
	'ratingSummary',
	'guidance',
	'assistant',
	'topUnanswered'
] as const;
export type StatsTable = (typeof STATS_TABLES)[number];

const day = z
	.string({ error: 'is required' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
	.refine(isDateString, 'is not a calendar date');

const orgUnit = z
	.string()
	.min(1)
	.max(64)
	.optional()
	.meta({ description: 'Org unit id or code within your subtree (default: your own org unit)' });

/** Days from..to inclusive; 0 when to is before from. */
export function daysBetween(from: string, to: string): number {
	const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
	return Math.round(ms / 86_400_000) + 1;
}

/** Every calendar date from..to inclusive. */
export function eachDay(from: string, to: string): string[] {
	const days: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
	return days;
}

const rangeRule = (
	v: { from?: unknown; to?: unknown },
	ctx: { addIssue: (issue: { code: 'custom'; path: string[]; message: string }) => void }
) => {
	if (typeof v?.from !== 'string' || typeof v?.to !== 'string') return;
	if (!isDateString(v.from) || !isDateString(v.to)) return;
	if (v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from' });
	else if (daysBetween(v.from, v.to) > STATS_MAX_DAYS)
		ctx.addIssue({
			code: 'custom',
			path: ['to'],
			message: `the range may cover at most ${STATS_MAX_DAYS} days`
		});
};

export const StatsHistoryQuery = z
	.object({
		from: day.meta({ description: 'First hall-local day (YYYY-MM-DD)' }),
		to: day.meta({ description: `Last hall-local day, at most ${STATS_MAX_DAYS} days after from` }),
		orgUnit
	})
	.superRefine(rangeRule, { when: () => true });
export type StatsHistoryQuery = z.infer<typeof StatsHistoryQuery>;

export const StatsCsvQuery = z
	.object({
		table: z.enum(STATS_TABLES, { error: `must be one of ${STATS_TABLES.join(', ')}` }),
		from: day,
		to: day,
		orgUnit
	})
	.superRefine(rangeRule, { when: () => true });
export type StatsCsvQuery = z.infer<typeof StatsCsvQuery>;

export const StatsLiveQuery = z.object({ orgUnit });

export const MyDayQuery = z.object({
	day: day.optional().meta({ description: 'Hall-local day (default: today)' })
});

const OrgUnitRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

// ---- live ----

export const LiveWaitingRow = z.object({
	category: z.string(),
	categoryName: z.string(),
	count: z.number().int(),
	longestWaitMinutes: z.number().int().meta({ description: 'Whole minutes, now − issue time' })
});

export const LiveDeskRow = z.object({
	id: z.string(),
	name: z.string(),
	orgUnitId: z.string(),
	orgUnitName: z.string(),
	categories: z.array(z.string()),
	servedBy: z.object({ id: z.string(), name: z.string() }),
	openedAt: z.string().nullable(),
	currentTicket: z.string().nullable().meta({ description: 'Code of the called or served ticket' })
});

export const LiveSnapshotSchema = z.object({
	orgUnit: OrgUnitRef,
	at: z.string().meta({ description: 'When the snapshot was taken' }),
	waiting: z.array(LiveWaitingRow).meta({ description: "Today's waiting tickets per category" }),
	waitingTotal: z.number().int(),
	desks: z.object({
		open: z.number().int(),
		total: z.number().int(),
		list: z.array(LiveDeskRow).meta({ description: 'Open desks' })
	}),
	video: z.object({ inProgress: z.number().int() }),
	guidance: z.object({
		waiting: z.number().int(),
		longestWaitMinutes: z.number().int().nullable()
	})
});
export type LiveSnapshot = z.infer<typeof LiveSnapshotSchema>;

// ---- history ----

const minutes = z.number().nullable();

export const VolumeRow = z.object({
	day: z.string(),
	video: z.number().int().meta({ description: 'Video-channel tickets issued' }),
	onsite: z.number().int().meta({ description: 'Onsite tickets issued (kiosk and citizens)' }),
	total: z.number().int(),
	checkIns: z.number().int().meta({ description: 'Of the tickets, appointment check-ins' }),
	appointments: z
		.number()
		.int()
		.meta({ description: 'Appointments whose slot is on this day, not cancelled' })
});
export const WaitRow = z.object({
	day: z.string(),
	count: z.number().int().meta({ description: 'Tickets called' }),
	p50Minutes: minutes,
	p90Minutes: minutes,
	averageMinutes: minutes
});
export const ServiceRow = z.object({
	day: z.string(),
	count: z.number().int().meta({ description: 'Tickets served (done)' }),
	averageMinutes: minutes,
	p50Minutes: minutes
});
export const NoShowRow = z.object({
	day: z.string(),
	called: z.number().int(),
	noShows: z.number().int(),
	rate: z.number().nullable()
});
export const RatingRow = z.object({
	score: z.number().int(),
	count: z.number().int(),
	share: z.number().nullable()
});
export const RatingSummarySchema = z.object({
	count: z.number().int(),
	average: z.number().nullable(),
	satisfied: z.number().int().meta({ description: 'Scores 4 and 5' }),
	satisfactionRate: z.number().nullable(),
	followUpsOpen: z.number().int().meta({ description: 'Open or contacted' }),
	followUpsOverdue: z.number().int().meta({ description: 'Of the open ones, past their due day' }),
	followUpsResolved: z.number().int(),
	followUpsCancelled: z.number().int()
});
export const GuidanceStatsRow = z.object({
	orgUnitId: z.string().meta({ description: 'The expert org unit asked for guidance' }),
	orgUnitName: z.string(),
	requests: z.number().int(),
	accepted: z.number().int(),
	cancelled: z.number().int(),
	waiting: z.number().int(),
	finished: z.number().int().meta({ description: 'Accepted and over (minutes are known)' }),
	totalMinutes: z.number(),
	averageMinutes: minutes,
	averageWaitMinutes: minutes.meta({ description: 'Request → accept' }),
	longestWaitMinutes: minutes
});
export const AssistantRow = z.object({
	day: z.string(),
	questions: z.number().int(),
	answered: z.number().int(),
	unanswered: z
		.number()
		.int()
		.meta({ description: 'Knowledge-base gaps: the hall’s business, not answered' }),
	offTopic: z
		.number()
		.int()
		.meta({ description: 'Not answered and not the hall’s business (not a gap)' }),
	handoffs: z.number().int()
});
export const UnansweredRow = z.object({
	question: z.string().meta({ description: 'Normalised: NFKC, trimmed, no trailing punctuation' }),
	count: z.number().int(),
	lastAskedAt: z.string()
});

export const StatsHistorySchema = z.object({
	orgUnit: OrgUnitRef,
	scopes: z
		.array(OrgUnitRef)
		.meta({ description: 'Org units the caller may narrow to (its own and below)' }),
	from: z.string(),
	to: z.string(),
	timeZone: z.string(),
	volumes: z.array(VolumeRow),
	waits: z.array(WaitRow),
	service: z.array(ServiceRow),
	noShows: z.array(NoShowRow),
	ratings: z.array(RatingRow),
	ratingSummary: RatingSummarySchema,
	guidance: z.array(GuidanceStatsRow),
	assistant: z.array(AssistantRow),
	topUnanswered: z.array(UnansweredRow)
});
export type StatsHistory = z.infer<typeof StatsHistorySchema>;

// ---- my day ----

export const MyDaySchema = z.object({
	day: z.string(),
	ticketsServed: z.number().int(),
	averageServiceMinutes: minutes,
	noShows: z.number().int().meta({ description: 'Tickets I called that were marked no-show' }),
	sessionsHosted: z.number().int(),
	guidanceGiven: z.number().int().meta({ description: 'Guidance requests I accepted' }),
	ratings: z.object({
		count: z.number().int(),
		average: z.number().nullable(),
		distribution: z.array(RatingRow)
	})
});
export type MyDay = z.infer<typeof MyDaySchema>;
