// 一件事一次办 (issue 24): the life event offered on the catalog pages, the application's parts
// side by side, a part's page, the approver's result number and the receipt's list of items.
// Simplified Chinese, the source language; en/life-event.ts has exactly the same keys.
export default {
	'lifeEvent.badge': '一件事一次办',
	'lifeEvent.offerLead': '一张表、一套材料、一次出件：下面这些事项一次申请，各部门同时办理。',
	'lifeEvent.items': '这件事包含的事项',
	'lifeEvent.conditional': '按您的回答决定是否要办',
	'lifeEvent.start': '一次申请这件事',
	'lifeEvent.open': '了解并申请',
	'lifeEvent.questions': '申请时会先问您',
	'lifeEvent.materials': '要准备的材料（每样只交一次）',
	'lifeEvent.materialConditional': '需要时才交',
	'lifeEvent.optional': '可不交',
	'lifeEvent.partsTitle': '各部门办理进度',
	'lifeEvent.partsLead': '申请已分送各部门同时办理，每一项有进展都会通知您。',
	'lifeEvent.state.waiting': '等前一项办好',
	'lifeEvent.waitsFor': '等“{item}”办好后开始',
	'lifeEvent.receiptNo': '编号 {no}',
	'lifeEvent.due': '承诺 {date} 前办结',
	'lifeEvent.themeDue': '整件事承诺 {date} 前办结。',
	'lifeEvent.delivery.electronic': '全部办好后统一发电子证照。',
	'lifeEvent.delivery.nearby': '全部办好后到受理大厅一次领取。',
	'lifeEvent.partOf': '这是“{theme}”一件事的一部分。需要修改时，请到整件事的申请里修改，只改一次。',
	'lifeEvent.partOfStaff': '这是“{theme}”一件事中由贵部门办理的一项，其他部门的部分不在这里显示。',
	'lifeEvent.openApplication': '打开整件事的申请',
	'lifeEvent.resultNo': '证照编号',
	'lifeEvent.resultNoHint':
		'“{items}”要用这一项的结果：批准时请填写发出的证照编号（统一社会信用代码）。',
	'lifeEvent.openPart': '查看“{item}”',
	'lifeEvent.receiptItems': '本次申请包含的事项',
	'lifeEvent.receiptDepartment': '办理部门',
	'lifeEvent.receiptExpected': '预计办结',
	'lifeEvent.receiptAfter': '前一项办好后起算'
};
