// 一件事一次办 on the supervisor's dashboard (issue 24 item 7): the figures per life event and
// the time each department took over its part.
// English: exactly the keys of ../zh-CN/life-event-stats.ts (the type below says so).
import type zh from '../zh-CN/life-event-stats.ts';

export default {
	'leStats.title': 'Life events (one application, many items)',
	'leStats.lead':
		'Applications started in the range, counted where they were filed. Time to completion is in working days from the first submission.',
	'leStats.event': 'Life event',
	'leStats.started': 'Started',
	'leStats.submitted': 'Submitted',
	'leStats.completed': 'Completed',
	'leStats.rejected': 'Rejected',
	'leStats.inProgress': 'In progress',
	'leStats.returnedOnce': 'Returned at least once',
	'leStats.medianDays': 'Median time to completion',
	'leStats.meanDays': 'Mean time to completion',
	'leStats.days_one': '{count} working day',
	'leStats.days_other': '{count} working days',
	'leStats.slowest': 'Slowest department',
	'leStats.slowestValue': '{name} (mean {hours} h)',
	'leStats.departmentsTitle': 'Life events: time per department',
	'leStats.departmentsLead': "Each department's time from the start of its part to its approval.",
	'leStats.eventDepartment': 'Life event · department',
	'leStats.parts': 'Parts',
	'leStats.approved': 'Approved',
	'leStats.meanHours': 'Mean time',
	'leStats.medianHours': 'Median time',
	'leStats.hours': '{n} h',
	'leStats.meanHoursAxis': 'Mean time (hours)'
} satisfies Record<keyof typeof zh, string>;
