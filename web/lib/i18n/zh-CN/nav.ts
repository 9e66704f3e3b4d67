// The main navigation.
// Simplified Chinese, the source language; en/nav.ts has exactly the same keys.
export default {
	'nav.label': '主导航',
	'nav.home': '首页',
	'nav.assistant': '智能问答',
	'nav.my': '我的',
	'nav.desk': '坐席工作台',
	'nav.township': '镇街工作台',
	'nav.supervisor': '数据看板',
	'nav.admin': '系统管理',
	'nav.deviceCheck': '设备检测',
	'nav.apiDocs': '接口文档',
	'nav.login': '登录',
	'nav.register': '注册',
	'nav.logout': '退出登录',
	'nav.signedInAs': '当前用户：{name}（{role}）',
	'nav.services': '办事服务',
	'nav.myAppointments': '我的预约',
	'nav.staffAppointments': '预约接待',
	'nav.kbAdmin': '知识库',
	'nav.catalogAdmin': '事项管理',
	'nav.schedulesAdmin': '排班管理',
	'nav.orgUnitsAdmin': '机构信息',
	'nav.kiosk': '取号机',
	'nav.formsAdmin': '表单管理',
	'nav.lifeEventsAdmin': '一件事一次办',
	'nav.cases': '办件',
	'nav.myRatings': '我的评价',
	'nav.myDay': '我的今日',
	'nav.followUps': '差评回访',
	'nav.audit': '审计日志',

	'nav.learn': '智能问答学习',

	'nav.grid': '入户办'
};
