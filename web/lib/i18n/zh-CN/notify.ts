// Notices (notify.<kind>).
// Simplified Chinese, the source language; en/notify.ts has exactly the same keys.
export default {
	'notify.appointment_booked': '已预约 {serviceName}，时间 {when}（{orgUnitName}）。',
	'notify.appointment_reminder_24h': '提醒：{serviceName} 将于 {when} 开始。',
	'notify.appointment_reminder_30m': '提醒：{serviceName} 30 分钟后（{when}）开始，请准备好。',
	'notify.appointment_rescheduled': '已改约：{serviceName} 由 {from} 改到 {to}（{orgUnitName}）。',
	'notify.appointment_cancelled': '已取消：您取消了 {when} 的 {serviceName} 预约。',
	'notify.appointment_cancelled_closure':
		'已取消：因“{notice}”，大厅取消了您 {when} 的 {serviceName} 预约，请重新预约。',
	'notify.waitlist_closed':
		'因“{notice}”，您候补的 {serviceName}（{when}）已关闭，请另选日期预约。',
	'notify.waitlist_offer': '您候补的 {serviceName}（{when}）有空位了，请尽快预约。',
	'notify.waitlist_booked': '候补成功：已为您预约 {serviceName}，时间 {when}。',
	'notify.ticket_cancelled_closing':
		'{hallName} 今日已停止办理，您的排队号 {code}（{serviceName}）已取消，可预约其他日期办理。',
	'notify.generic': '您有一条新消息。',
	'notify.video_invite': '{host} 邀请您加入视频会话（{serviceName}）。',
	'notify.owed_material_reminder':
		'提醒：您承诺在 {dueDay} 前补交 {serviceName} 的材料“{material}”。',
	'notify.case_accepted': '您的 {serviceName} 申请已受理（{receiptNo}）。',
	'notify.case_returned': '您的 {serviceName} 申请需要补正，请查看需要修改的内容。',
	'notify.case_approved': '您的 {serviceName} 申请已审批通过，可以就近领取结果。',
	'notify.case_completed': '您的 {serviceName} 已办结。',
	'notify.case_rejected': '您的 {serviceName} 申请未获批准。',
	'notify.application_returned': '您的 {serviceName} 申请中有事项需要补正，在申请中修改一次即可。',
	'notify.application_part_approved':
		'您的 {serviceName} 申请中，{partName} 已办好；其余事项办好后统一出件。',
	'notify.application_part_rejected': '您的 {serviceName} 申请中，{partName} 未获批准。',
	'notify.application_completed': '您的 {serviceName} 已全部办结，结果已统一发出。',
	'notify.guidance_waiting':
		'{requestingOrgName} 的远程协助请求（{serviceName}）已等待超过 {minutes} 分钟。',
	'notify.rating_followup_resolved':
		'您对 {serviceName} 的评价已由 {orgUnitName} 回访整改，请查看处理结果。',
	'notify.proxy_appointment_booked':
		'代办人 {proxyName} 为您预约了 {serviceName}，时间 {when}（{orgUnitName}）。',
	'notify.proxy_ticket_taken':
		'代办人 {proxyName} 为您取了 {serviceName} 的号 {code}（{hallName}）。',
	'notify.proxy_case_submitted':
		'代办人 {proxyName} 为您提交了 {serviceName} 申请（{receiptNo}）。',
	'notify.grid_case_submitted':
		'社区网格员 {gridWorkerName} 已协助您提交 {serviceName} 申请（{receiptNo}）。',
	'notify.home_visit_scheduled':
		'社区网格员 {gridWorkerName} 将于 {when} 上门为您办理 {serviceName}（入户办）。',
	'notify.proxy_grant_signed':
		'{grantorName} 已在视频办理中签名确认，授权您代为办理，至 {validUntil}。',
	'notify.proxy_granted': '您已授权 {proxyName} 代您办理，至 {validUntil}。可随时在“我的”中撤销。'
};
