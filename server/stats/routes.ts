import { z } from 'zod';
import {
	LiveSnapshotSchema,
	MyDayQuery,
	MyDaySchema,
	StatsCsvQuery,
	StatsHistoryQuery,
	StatsHistorySchema,
	StatsLiveQuery
} from '../../shared/schemas/stats.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json } from '../http/router.ts';
import { statsCsv } from './csv.ts';
import { statsHistory } from './history.ts';
import { liveSnapshot } from './live.ts';
import { myDay } from './my-day.ts';
import { streamSnapshots } from '../realtime/snapshots.ts';
import { streamOptionsOf } from '../realtime/sse.ts';
import { liveFeed } from './live-feed.ts';
import { orgScope } from './scope.ts';
import { homeVisitCsv, homeVisitFigures } from './home-visits.ts';
import { HomeVisitStatsRow } from '../../shared/schemas/home-visits.ts';
import { lifeEventCsv, lifeEventFigures } from './life-events.ts';
import { LifeEventStatsRow } from '../../shared/schemas/life-event-stats.ts';

const MANAGERS = ['supervisor', 'admin'] as const;

const live = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/live',
	tags: ['stats'],
	summary:
		'Now, for my org unit and below: waiting tickets per category, open desks, video sessions in progress, waiting guidance requests',
	request: { query: StatsLiveQuery },
	responses: {
		200: json(z.object({ live: LiveSnapshotSchema }), 'The snapshot'),
		404: errorJson('orgUnit is not in your subtree')
	}
});
const liveEvents = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/live/events',
	tags: ['stats'],
	summary:
		'Server-sent `snapshot` events (the /stats/live snapshot) whenever it changes, checked every second; the id is the snapshot version',
	request: {
		query: StatsLiveQuery,
		headers: z.object({ 'last-event-id': z.string().max(64).optional() })
	},
	responses: {
		200: {
			description: 'text/event-stream',
			content: { 'text/event-stream': { schema: z.string() } }
		},
		404: errorJson('orgUnit is not in your subtree')
	}
});
const history = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/history',
	tags: ['stats'],
	summary:
		'Hall-local daily tables for a range of up to 92 days: volumes, waits, service, no-shows, ratings, guidance, assistant',
	request: { query: StatsHistoryQuery },
	responses: {
		200: json(StatsHistorySchema, 'The tables'),
		404: errorJson('orgUnit is not in your subtree')
	}
});
const csv = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/history.csv',
	tags: ['stats'],
	summary: 'One history table as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting, snake_case header)',
	request: { query: StatsCsvQuery },
	responses: {
		200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
		404: errorJson('orgUnit is not in your subtree')
	}
});
const mine = defineRoute(['agent', 'township', 'supervisor'], {
	method: 'get',
	path: '/stats/my-day',
	tags: ['stats'],
	summary: 'My own day: tickets served, service minutes, sessions hosted, ratings received',
	request: { query: MyDayQuery },
	responses: { 200: json(z.object({ myDay: MyDaySchema }), 'My day') }
});
const homeVisits = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/home-visits',
	tags: ['stats'],
	summary:
		'入户办 per community of my org unit and below: requests made in the range, accepted, visited, median wait from request to visit, tickets started',
	request: { query: StatsHistoryQuery },
	responses: {
		200: json(z.object({ homeVisits: z.array(HomeVisitStatsRow) }), 'One row per community'),
		404: errorJson('orgUnit is not in your subtree')
	}
});
const homeVisitsCsv = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/home-visits.csv',
	tags: ['stats'],
	summary: 'The 入户办 rows as CSV (UTF-8 with BOM, CRLF, snake_case header); audited',
	request: { query: StatsHistoryQuery },
	responses: {
		200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
		404: errorJson('orgUnit is not in your subtree')
	}
});
const lifeEvents = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/life-events',
	tags: ['stats'],
	summary:
		'一件事一次办 per life event, of the applications created in the range and filed in my org unit and below: started, submitted, completed, rejected, in progress, returned at least once, working days to completion, and per department the hours from part start to approval (the slowest named)',
	request: { query: StatsHistoryQuery },
	responses: {
		200: json(z.object({ lifeEvents: z.array(LifeEventStatsRow) }), 'One row per life event'),
		404: errorJson('orgUnit is not in your subtree')
	}
});
const lifeEventsCsv = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/life-events.csv',
	tags: ['stats'],
	summary:
		'The 一件事一次办 rows as CSV, one line per life event with its slowest department (UTF-8 with BOM, CRLF, snake_case header); audited',
	request: { query: StatsHistoryQuery },
	responses: {
		200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
		404: errorJson('orgUnit is not in your subtree')
	}
});
const lifeEventDepartmentsCsv = defineRoute(MANAGERS, {
	method: 'get',
	path: '/stats/life-event-departments.csv',
	tags: ['stats'],
	summary:
		"The 一件事一次办 departments as CSV, one line per life event and department: parts started, approved, mean and median hours from a part's start to its approval; audited",
	request: { query: StatsHistoryQuery },
	responses: {
		200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
		404: errorJson('orgUnit is not in your subtree')
	}
});

export function statsRoutes() {
	return createRouter()
		.openapi(live, async (c) =>
			c.json(
				{ live: await liveSnapshot(c.var.deps, c.var.user!, c.req.valid('query').orgUnit) },
				200
			)
		)
		.openapi(liveEvents, async (c) => {
			const deps = c.var.deps;
			// 404 before the stream opens; then one snapshot per scope, shared by its viewers
			const scope = await orgScope(deps, c.var.user!, c.req.valid('query').orgUnit);
			return streamSnapshots(
				c,
				liveFeed(deps, scope),
				c.req.valid('header')['last-event-id'],
				streamOptionsOf(c)
			) as never;
		})
		.openapi(history, async (c) =>
			c.json(await statsHistory(c.var.deps, c.var.user!, c.req.valid('query')), 200)
		)
		.openapi(csv, async (c) => {
			const file = await statsCsv(c.var.deps, c.var.user!, c.req.valid('query'));
			c.header('content-type', 'text/csv; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		})
		.openapi(homeVisits, async (c) =>
			c.json(
				{ homeVisits: await homeVisitFigures(c.var.deps, c.var.user!, c.req.valid('query')) },
				200
			)
		)
		.openapi(homeVisitsCsv, async (c) => {
			const file = await homeVisitCsv(c.var.deps, c.var.user!, c.req.valid('query'));
			c.header('content-type', 'text/csv; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		})
		.openapi(lifeEvents, async (c) =>
			c.json(
				{ lifeEvents: await lifeEventFigures(c.var.deps, c.var.user!, c.req.valid('query')) },
				200
			)
		)
		.openapi(lifeEventsCsv, async (c) => {
			const file = await lifeEventCsv(c.var.deps, c.var.user!, c.req.valid('query'), 'lifeEvents');
			c.header('content-type', 'text/csv; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		})
		.openapi(lifeEventDepartmentsCsv, async (c) => {
			const file = await lifeEventCsv(
				c.var.deps,
				c.var.user!,
				c.req.valid('query'),
				'lifeEventDepartments'
			);
			c.header('content-type', 'text/csv; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		})
		.openapi(mine, async (c) =>
			c.json({ myDay: await myDay(c.var.deps, c.var.user!, c.req.valid('query').day) }, 200)
		);
}
