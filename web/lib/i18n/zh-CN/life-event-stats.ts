// 一件事一次办 on the supervisor's dashboard (issue 24 item 7): the figures per life event and
// the time each department took over its part.
// Simplified Chinese, the source language; en/life-event-stats.ts has exactly the same keys.
export default {
	'leStats.title': '一件事一次办',
	'leStats.lead': '统计期内发起的申请，按申请受理地统计。办结用时按工作日计，自首次提交起算。',
	'leStats.event': '一件事',
	'leStats.started': '发起',
	'leStats.submitted': '已提交',
	'leStats.completed': '已办结',
	'leStats.rejected': '不予办理',
	'leStats.inProgress': '办理中',
	'leStats.returnedOnce': '曾退回补正',
	'leStats.medianDays': '办结用时中位数',
	'leStats.meanDays': '平均办结用时',
	'leStats.days_one': '{count} 个工作日',
	'leStats.days_other': '{count} 个工作日',
	'leStats.slowest': '用时最长的部门',
	'leStats.slowestValue': '{name}（平均 {hours} 小时）',
	'leStats.departmentsTitle': '一件事各部门办理用时',
	'leStats.departmentsLead': '各部门从分项事项开始办理到审批通过的用时。',
	'leStats.eventDepartment': '一件事 · 部门',
	'leStats.parts': '分项',
	'leStats.approved': '已通过',
	'leStats.meanHours': '平均用时',
	'leStats.medianHours': '用时中位数',
	'leStats.hours': '{n} 小时',
	'leStats.meanHoursAxis': '平均用时（小时）'
};
