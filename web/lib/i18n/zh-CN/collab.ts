// Co-handling: remote guidance and forwarding between levels.
// Simplified Chinese, the source language; en/collab.ts has exactly the same keys.
export default {
	'collab.askGuidance': '请求上级远程协助',
	'collab.askedGuidance': '已发出远程协助请求，等待上级专家接入。',
	'collab.pool': '远程协助请求',
	'collab.acceptGuidance': '接受并进入',
	'collab.requestLine': '{org} · {service} · {by}',
	'collab.escalated': '已超时',
	'collab.accept': '受理',
	'collab.forward': '转报审核',
	'collab.approve': '批准',
	'collab.return': '退回补正',
	'collab.reject': '不予批准',
	'collab.complete': '办结（就近领取）',
	'collab.returnField': '需补正的项目',
	'collab.returnComment': '补正意见',
	'collab.reviewComment': '审核意见：{comment}',
	'collab.casesTitle': '办件',
	'collab.casesEmpty': '暂无办件。',
	'collab.forReview': '待审核'
};
