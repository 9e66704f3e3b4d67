// Signing in and registering.
// Simplified Chinese, the source language; en/auth.ts has exactly the same keys.
export default {
	'login.title': '登录',
	'login.idleSignedOut':
		'您已长时间没有操作，为保护账号安全已自动退出。请重新登录，继续刚才的工作。',
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
	'register.mismatch': '两次输入的密码不一致',

	'smsCode.send': '获取验证码',
	'smsCode.resend': '重新获取验证码',
	'smsCode.resendIn': '{seconds} 秒后可重新获取',
	'smsCode.sent':
		'短信已发送至 {phone}，验证码 {minutes} 分钟内有效。没收到？请核对号码，稍后可重新获取。',
	'smsCode.code': '短信验证码',
	'smsCode.codeHint': '6 位数字，先点“获取验证码”',

	'reset.title': '忘记密码',
	'reset.intro': '用注册时的手机号接收验证码，设置新密码后直接登录。其他设备上的登录会同时退出。',
	'reset.phoneHint': '注册时使用的 11 位手机号',
	'reset.password': '设置新密码',
	'reset.submit': '重置密码并登录',
	'reset.backToLogin': '想起来了，去登录',
	'reset.staffHint': '工作人员忘记密码，请联系本单位系统管理员重置。'
};
