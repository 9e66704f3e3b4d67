// The start pages: the public home, the citizen's and the staff's home.
// Simplified Chinese, the source language; en/home.ts has exactly the same keys.
export default {
	'home.title': '云上大厅 · 在家就能办',
	'home.lead':
		'预约一个时间或在线取号，到号后与工作人员视频面对面，在指导下填写申请、上传材料、完成签名。',
	'home.steps': '怎么办',
	'home.step1.title': '预约或取号',
	'home.step1.body': '选择要办的事项，预约视频时段，或直接在线排队取号，在家等候。',
	'home.step2.title': '视频面对面',
	'home.step2.body': '到号后进入视频办事，工作人员一对一指导，镇街和上级专家可以一起帮办。',
	'home.step3.title': '在线填表签名',
	'home.step3.body': '和工作人员一起填写申请表，拍照上传材料，手写签名，结果就近领取或电子送达。',
	'home.start': '开始办事',
	'home.registerCta': '注册账号',
	'home.loginCta': '已有账号，去登录',
	'home.deviceCta': '先检测摄像头和麦克风',
	'home.help': '不会操作？可以请家人或社区网格员作为代办人协助您。',
	'home.searchLabel': '搜索办事事项',
	'home.searchPlaceholder': '例如：营业执照、公积金、社保',
	'home.search': '搜索',
	'home.browse': '浏览全部事项',

	'my.title': '我的办事',
	'my.greeting': '{name}，您好',
	'my.lead': '在这里查看您的预约、排队号和办件。',
	'my.deviceCheck': '视频办事前，建议先做一次设备检测。',
	'my.account': '账号信息',
	'my.phone': '手机号',

	'staff.greeting': '{name}，您好',
	'staff.orgUnit': '所属单位',
	'staff.notices': '消息',

	'township.title': '镇街工作台',
	'township.lead': '受理下沉事项，发起远程协助，转报上级审核。',

	'my.ratingsPrompt_one': '您有 {count} 项服务待评价，去评价',
	'my.ratingsPrompt_other': '您有 {count} 项服务待评价，去评价',

	'my.homeVisitsLink': '入户办：请社区网格员上门帮办',

	'my.proxyLink': '为家人代办、查看和撤销代办授权',
	'my.findService': '去找事项预约',
	'my.homeVisits': '我的入户办申请'
};
