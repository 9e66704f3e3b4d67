// Staff two-factor sign-in: the code from an authenticator app after the password.
// Simplified Chinese, the source language; en/two-factor.ts has exactly the same keys.
export default {
	'twoFactor.title': '双因素验证',
	'twoFactor.verifyLead': '{name}，请输入身份验证器应用中显示的 6 位动态验证码。',
	'twoFactor.code': '动态验证码',
	'twoFactor.codeHint':
		'身份验证器应用（如 Microsoft Authenticator、Google 身份验证器）每 30 秒更新一次',
	'twoFactor.verify': '验证并登录',
	'twoFactor.useRecovery': '手机丢失？使用恢复码',
	'twoFactor.useCode': '使用动态验证码',
	'twoFactor.recoveryCode': '恢复码',
	'twoFactor.recoveryHint': '启用双因素验证时保存的恢复码之一，每个只能使用一次',
	'twoFactor.recover': '使用恢复码登录',
	'twoFactor.enrolTitle': '设置双因素验证',
	'twoFactor.enrolLead':
		'{name}，按照等保 2.0 要求，您的账号需在密码之外再用手机上的身份验证器应用登录。设置只需一次。',
	'twoFactor.start': '开始设置',
	'twoFactor.scan': '第一步：用身份验证器应用扫描二维码',
	'twoFactor.qrAlt': '身份验证器应用的二维码',
	'twoFactor.secretLabel': '无法扫码时，请在应用中手动输入密钥：',
	'twoFactor.enterCode': '第二步：输入应用中显示的 6 位动态验证码',
	'twoFactor.confirm': '确认并启用',
	'twoFactor.recoveryTitle': '请保存恢复码',
	'twoFactor.recoveryLead':
		'手机丢失或无法使用身份验证器时，可用以下恢复码登录，每个只能用一次。恢复码只显示这一次，请抄写或打印后妥善保管。',
	'twoFactor.saved': '我已保存恢复码，继续',
	'twoFactor.continue': '继续',
	'twoFactor.signOut': '退出登录',
	'twoFactor.error.wrongCode': '验证码不正确或已过期，请输入应用中当前显示的验证码',
	'twoFactor.error.used': '该验证码已使用过，请等待应用显示下一个验证码',
	'twoFactor.error.wrongRecovery': '恢复码不正确或已使用过',
	'twoFactor.error.locked_one': '连续输错次数过多，账号已临时锁定，请 {count} 分钟后再试',
	'twoFactor.error.locked_other': '连续输错次数过多，账号已临时锁定，请 {count} 分钟后再试',
	'twoFactor.error.format': '请输入 6 位数字验证码',
	'twoFactor.error.expired': '登录已超时，请重新输入密码',
	'twoFactor.error.generic': '验证未成功，请稍后再试'
};
