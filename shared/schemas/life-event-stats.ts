// 一件事一次办 figures for the dashboard (issue 24 item 7): per life event, the applications
// started in the range and what became of them, and how long each department took over its part.
import { z } from 'zod';

/** One department's parts of a life event's applications (GET /api/stats/life-events). */
export const LifeEventDepartmentRow = z.object({
	departmentId: z.string(),
	departmentName: z.string(),
	parts: z.number().int().meta({ description: 'Parts started (filed to the department)' }),
	approved: z.number().int(),
	meanHours: z.number().nullable().meta({
		description: "Mean hours from the part's start (its case filed) to its approval"
	}),
	medianHours: z.number().nullable()
});
export type LifeEventDepartmentRow = z.infer<typeof LifeEventDepartmentRow>;

/** One life event's figures over a range: the applications created in it, in the viewer's scope. */
export const LifeEventStatsRow = z.object({
	themeItemId: z.string(),
	themeName: z.string(),
	timeLimitDays: z
		.number()
		.int()
		.meta({ description: "The life event's promised time limit (承诺时限), in working days" }),
	started: z.number().int().meta({ description: 'Applications created in the range' }),
	submitted: z.number().int(),
	completed: z.number().int(),
	rejected: z.number().int(),
	inProgress: z.number().int().meta({ description: 'Submitted, neither completed nor rejected' }),
	returnedOnce: z.number().int().meta({ description: 'Returned for correction at least once' }),
	medianWorkingDays: z.number().nullable().meta({
		description:
			'Median working days (工作日) from the first submission to completion, as time limits count them'
	}),
	meanWorkingDays: z.number().nullable(),
	slowestDepartmentId: z.string().nullable(),
	slowestDepartmentName: z.string().nullable().meta({
		description: 'The department with the longest mean time from part start to approval'
	}),
	slowestDepartmentMeanHours: z.number().nullable(),
	departments: z.array(LifeEventDepartmentRow)
});
export type LifeEventStatsRow = z.infer<typeof LifeEventStatsRow>;
