// The shell of every page: name, languages, footer, shared vocabularies (roles, levels,
// weekdays, channels) and the API reference page.
// Simplified Chinese, the source language; en/app.ts has exactly the same keys.
export default {
	'app.name': '云上大厅',
	'app.tagline': '足不出户，视频办事',
	'app.skip': '跳到主要内容',

	'lang.label': '语言',
	'lang.zh': '中文',
	'lang.en': 'English',
	'care.switch': '长辈模式',

	'footer.text': '云上大厅 · 开源的远程政务服务系统',

	'role.citizen': '群众',
	'role.agent': '坐席人员',
	'role.township': '镇街工作人员',
	'role.supervisor': '大厅主管',
	'role.admin': '系统管理员',
	'role.grid': '社区网格员',

	'level.city': '市',
	'level.district': '区（县级市）',
	'level.township': '镇（街道）',
	'level.community': '社区',

	'weekday.1': '周一',
	'weekday.2': '周二',
	'weekday.3': '周三',
	'weekday.4': '周四',
	'weekday.5': '周五',
	'weekday.6': '周六',
	'weekday.7': '周日',

	'api.title': '接口文档',
	'api.lead': '供对接系统使用的 HTTP 接口。机器可读的完整描述见 {link}。',
	'api.access': '可调用者',
	'api.request': '请求体',
	'api.responses': '响应',
	'api.access.public': '公开',
	'api.access.signedIn': '已登录用户',
	'api.access.session': '任一会话（含待双因素验证的）',

	// the sign-out after a while idle, on every page
	'idle.warning': '长时间无操作，{time} 后将自动退出登录，未保存的内容会丢失。',
	'idle.stay': '继续工作',

	// 代办: the banner on every page, and who acted on a booking, ticket or case
	'acting.title': '代办授权',
	'acting.banner': '正在代 {name} 办理',
	'acting.bannerEnded': '代 {name} 办理的授权已撤销或过期',
	'acting.stop': '退出代办',
	'acting.stopped': '已退出代办，现在是您本人在办理。',
	'acting.signatureInPerson':
		'签名须由申请人本人完成：请 {name} 在自己的手机上登录签名，或在视频办理时当面签名。',
	'acting.byProxyUnnamed': '由代办人办理',
	'acting.bookedBy': '代办人 {name} 预约',
	'acting.ticketBy': '代办人 {name} 取号',
	'acting.submitter': '代办',
	'acting.submittedBy': '由 {name}（代办人）代为提交',

	// how a service is handled, named on tickets, bookings and cases
	'channel.video': '视频办理',
	'channel.onsite': '现场办理'
};
