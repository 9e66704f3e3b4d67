// SMS texts (Chinese; the in-app list renders kind + params through the web's catalogue).
const TEMPLATES: Record<string, (p: Record<string, string>) => string> = {
	appointment_booked: (p) =>
		`【云上大厅】您已预约${p.serviceName}，时间${p.when}（${p.orgUnitName}）。`,
	appointment_reminder_24h: (p) =>
		`【云上大厅】提醒：您预约的${p.serviceName}将于明天${p.when}开始。`,
	appointment_reminder_30m: (p) =>
		`【云上大厅】提醒：您预约的${p.serviceName}将于30分钟后（${p.when}）开始，请准备好。`,
	appointment_cancelled_closure: (p) =>
		`【云上大厅】因${p.notice}，您预约的${p.serviceName}（${p.when}）已取消，请重新预约。`,
	ticket_cancelled_closing: (p) =>
		`【云上大厅】${p.hallName}今日已停止办理，您的排队号${p.code}（${p.serviceName}）已取消，可预约其他日期办理。`,
	waitlist_closed: (p) =>
		`【云上大厅】因${p.notice}，您候补的${p.serviceName}（${p.when}）已关闭，请另选日期预约。`,
	waitlist_offer: (p) => `【云上大厅】您候补的${p.serviceName}（${p.when}）有空位了，请尽快预约。`,
	owed_material_reminder: (p) =>
		`【云上大厅】提醒：您承诺在${p.dueDay}前补交${p.serviceName}的材料“${p.material}”，请按时提交。`,
	case_accepted: (p) => `【云上大厅】您的${p.serviceName}申请已受理，受理编号${p.receiptNo}。`,
	case_returned: (p) => `【云上大厅】您的${p.serviceName}申请需要补正，请登录查看需要修改的内容。`,
	case_approved: (p) => `【云上大厅】您的${p.serviceName}申请已审批通过，可以就近领取结果。`,
	case_completed: (p) => `【云上大厅】您的${p.serviceName}已办结，感谢使用。`,
	case_rejected: (p) => `【云上大厅】您的${p.serviceName}申请未获批准，请登录查看原因。`,
	application_returned: (p) =>
		`【云上大厅】您的${p.serviceName}申请中有事项需要补正，请登录在申请中修改一次即可。`,
	application_part_approved: (p) =>
		`【云上大厅】您的${p.serviceName}申请中，${p.partName}已办好；其余事项办好后统一出件。`,
	application_part_rejected: (p) =>
		`【云上大厅】您的${p.serviceName}申请中，${p.partName}未获批准，请登录查看原因。`,
	application_completed: (p) =>
		`【云上大厅】您的${p.serviceName}已全部办结，结果已统一发出，感谢使用。`,
	waitlist_booked: (p) => `【云上大厅】候补成功：已为您预约${p.serviceName}，时间${p.when}。`,
	phone_code_register: (p) =>
		`【云上大厅】您的注册验证码是${p.code}，5分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。`,
	phone_code_reset: (p) =>
		`【云上大厅】您正在重置密码，验证码是${p.code}，5分钟内有效。如非本人操作，请忽略本短信。`,
	phone_already_registered: () =>
		`【云上大厅】有人用本手机号申请注册，但该号码已有账号。如忘记密码，请在登录页点击“忘记密码”。如非本人操作，请忽略本短信。`,
	phone_code_proxy: (p) =>
		`【云上大厅】${p.proxyName}（${p.proxyPhone}）申请作为您的代办人，代您办理${p.items}，至${p.validUntil}。如您同意，请把验证码${p.code}告诉对方，5分钟内有效；如不同意，请勿告知并忽略本短信。`,
	proxy_granted: (p) =>
		`【云上大厅】您已授权${p.proxyName}代您办理政务事项，至${p.validUntil}。如非本人同意，请登录“我的”立即撤销。`,
	proxy_grant_signed: (p) =>
		`【云上大厅】${p.grantorName}已在视频办理中签名确认，授权您代为办理政务事项，至${p.validUntil}。`,
	proxy_appointment_booked: (p) =>
		`【云上大厅】代办人${p.proxyName}为您预约了${p.serviceName}，时间${p.when}（${p.orgUnitName}）。`,
	proxy_ticket_taken: (p) =>
		`【云上大厅】代办人${p.proxyName}为您取了${p.serviceName}的号${p.code}（${p.hallName}）。`,
	proxy_case_submitted: (p) =>
		`【云上大厅】代办人${p.proxyName}为您提交了${p.serviceName}申请，受理编号${p.receiptNo}。`,
	grid_case_submitted: (p) =>
		`【云上大厅】社区网格员${p.gridWorkerName}已协助您提交${p.serviceName}申请，受理编号${p.receiptNo}。`,
	home_visit_scheduled: (p) =>
		`【云上大厅】社区网格员${p.gridWorkerName}将于${p.when}上门为您办理${p.serviceName}（入户办），请在家等候。`,
	rating_followup_resolved: (p) =>
		`【云上大厅】您对${p.serviceName}的评价已由${p.orgUnitName}回访整改，请登录查看处理结果。`
};

export function smsText(kind: string, params: Record<string, string>): string {
	const template = TEMPLATES[kind];
	return template ? template(params) : `【云上大厅】您有一条新通知，请登录查看。`;
}
