// The service assistant (its knowledge base administration is in admin.ts).
// Simplified Chinese, the source language; en/assistant.ts has exactly the same keys.
export default {
	'assistant.title': '智能问答',
	'assistant.pageTitle': '办事问一问',
	'assistant.pageLead': '不知道该办哪个事项、要带什么材料，都可以在这里问。',
	'assistant.intro':
		'问我怎么办事。答案都来自本大厅的办事指南和常见问题；答不了的，可以一键转人工视频咨询。',
	'assistant.you': '我问：',
	'assistant.answerLabel': '回答',
	'assistant.aboutItem': '以上是“{name}”的相关内容。',
	'assistant.actions': '可以接着办',
	'assistant.action.book': '预约',
	'assistant.action.ticket': '现场取号',
	'assistant.action.video': '视频咨询（转人工）',
	'assistant.action.guide': '查看办事指南',
	'assistant.alternatives': '您是不是想问：',
	'assistant.unknown':
		'这件事属于政务服务，但我这里还没有准备好答案。您可以换个说法再问，或者转人工，由工作人员视频为您解答。',
	'assistant.offTopic':
		'这个问题不属于政务服务大厅办理的事情，我帮不上忙。如果您有要办的事，可以说说是什么事。',
	'assistant.examples': '可以这样问：',
	'assistant.example1': '怎么办理营业执照',
	'assistant.example2': '公积金怎么提取',
	'assistant.example3': '视频办理要准备什么',
	'assistant.examplesNote': '点一下问题就能直接提问。',
	'assistant.chineseOnly':
		'我们的办事指南是中文的，请用中文提问，或点上面的问题，也可以转人工视频咨询。',
	'assistant.english.gap':
		'我最懂中文，办事指南里没有找到这个问题的答案。工作人员可以帮您，转人工视频咨询即可。',
	'assistant.english.offTopic':
		'这个问题不属于政务服务大厅办理的事情。我最懂中文：如果您有要办的事，请用中文提问，或转人工视频咨询。',
	'assistant.inputLabel': '您的问题',
	'assistant.placeholder': '例如：开餐馆要办哪些证？',
	'assistant.send': '提问',
	'assistant.asking': '正在查找…',
	'assistant.messageInvalid': '请输入问题（不超过 200 个字）。',
	'assistant.failed': '暂时无法回答，请稍后再试，或直接转人工。',
	'assistant.person': '找工作人员（转人工）',
	'assistant.loginForPerson': '登录后可以转人工视频咨询',
	'assistant.citizenOnly': '转人工由群众账号发起。',
	'assistant.personHint': '将为“{name}”取一个视频办理号，工作人员接通后能看到您刚才的提问。',
	'assistant.personChoose':
		'选择要咨询的事项，取一个视频办理号，工作人员接通后能看到您刚才的提问。',
	'assistant.handoff': '转人工',
	'assistant.serviceLabel': '咨询事项',
	'assistant.servicePick': '请选择事项',
	'assistant.chooseService': '请先选择要咨询的事项。',
	'assistant.alreadyQueued': '您已经有这个事项的排队号了，请到“我的办事”查看。',
	'assistant.alreadyHandedOff': '这段对话已经转给工作人员了。',
	'assistant.restart': '重新开始对话',
	'assistant.conversation': '智能问答记录',
	'assistant.conversationHint': '群众转人工之前问过的问题：',
	'assistant.noAnswer': '（未能回答）'
};
