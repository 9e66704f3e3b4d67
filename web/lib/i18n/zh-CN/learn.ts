// The assistant's learning queue (issue 25 item 3), for admins and supervisors.
// Simplified Chinese, the source language; en/learn.ts has exactly the same keys.
export default {
	'learn.title': '智能问答：待学习的问题',
	'learn.lead':
		'群众问了、智能问答答不上来或转了人工的问题，按说法归在一起，问得多的在前。关联到已有答案后，下次有人这样问就能直接答上；也可以据此新写一条答案。',
	'learn.views': '问题类别',
	'learn.gaps': '政务问题（知识库缺口）',
	'learn.offTopic': '看起来与政务无关',
	'learn.gapsHint': '这些问题属于政务服务，但知识库里还没有答案，或群众看了答案仍转了人工。',
	'learn.offTopicHint':
		'智能问答判断这些问题与政务无关，已告诉群众“这不是政务大厅办理的事”。如果其实是政务问题，可以关联到答案或新写答案。',
	'learn.quoted': '“{question}”',
	'learn.empty': '没有待处理的问题。',
	'learn.count_one': '{count} 人次问过',
	'learn.count_other': '{count} 人次问过',
	'learn.lastAsked': '最近 {time}',
	'learn.handedOff': '转了人工',
	'learn.suggested': '可能是在问：',
	'learn.linkTo': '关联到“{title}”',
	'learn.otherEntry': '关联到其他答案',
	'learn.chooseEntry': '请选择答案',
	'learn.link': '关联',
	'learn.writeNew': '没有合适的答案：新写一条',
	'learn.newTitle': '标题（一般就是这个问题）',
	'learn.newBody': '答案',
	'learn.newTags': '关键词（用逗号或空格分开，可不填）',
	'learn.publish': '发布答案',
	'learn.markOffTopic': '与政务无关',
	'learn.linked': '已关联。这样问的问题不再显示，下次有人这样问就能答上。',
	'learn.written': '已发布新答案。这样问的问题不再显示，下次有人这样问就能答上。',
	'learn.marked': '已标记为与政务无关，不计入知识库缺口。'
};
