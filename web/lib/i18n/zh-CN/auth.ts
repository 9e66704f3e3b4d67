// Signing in and registering.
// Simplified Chinese, the source language; en/auth.ts has exactly the same keys.
export default {
	'login.title': '登录',
	'login.login': '手机号或工作人员账号',
	'login.loginHint': '群众请输入注册时的 11 位手机号',
	'login.password': '密码',
	'login.submit': '登录',
	'login.noAccount': '还没有账号？',
	'login.register': '立即注册',

	'register.title': '注册群众账号',
	'register.phone': '手机号',
	'register.phoneHint': '11 位手机号，用于登录和接收办事通知',
	'register.name': '姓名',
	'register.password': '设置密码',
	'register.passwordHint': '至少 8 位',
	'register.confirm': '再次输入密码',
	'register.submit': '注册并登录',
	'register.haveAccount': '已有账号？',
	'register.login': '去登录',
	'register.mismatch': '两次输入的密码不一致'
};
