// The shell of every page: name, languages, footer, shared vocabularies (roles, levels, weekdays)
// and the API reference page.
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
	'api.access.session': '任一会话（含待双因素验证的）'
};
