// 一件事一次办 (issue 24) in English: exactly the keys of zh-CN/life-event.ts.
import type zh from '../zh-CN/life-event.ts';

export default {
	'lifeEvent.badge': 'One application for a life event',
	'lifeEvent.offerLead':
		'One form, one set of documents, one result: apply for these items at once and the departments work on them at the same time.',
	'lifeEvent.items': 'What this includes',
	'lifeEvent.conditional': 'Only if your answers need it',
	'lifeEvent.start': 'Apply for all of it at once',
	'lifeEvent.open': 'Learn more and apply',
	'lifeEvent.questions': 'You will be asked first',
	'lifeEvent.materials': 'Documents to prepare (each handed in once)',
	'lifeEvent.materialConditional': 'only if needed',
	'lifeEvent.optional': 'optional',
	'lifeEvent.partsTitle': 'Progress in each department',
	'lifeEvent.partsLead':
		'Your application went to each department at once. You are told whenever one of them moves.',
	'lifeEvent.state.waiting': 'Waits for an earlier item',
	'lifeEvent.waitsFor': 'Starts when "{item}" is done',
	'lifeEvent.receiptNo': 'No. {no}',
	'lifeEvent.due': 'Promised by {date}',
	'lifeEvent.themeDue': 'The whole application is promised by {date}.',
	'lifeEvent.delivery.electronic':
		'When everything is done, all results are issued electronically.',
	'lifeEvent.delivery.nearby': 'When everything is done, collect all results at once at the hall.',
	'lifeEvent.partOf':
		'This is part of the life event "{theme}". To change it, correct the whole application once.',
	'lifeEvent.partOfStaff':
		'This is the part of the life event "{theme}" your department handles. Other departments\' parts are not shown here.',
	'lifeEvent.openApplication': 'Open the whole application',
	'lifeEvent.resultNo': 'Licence number',
	'lifeEvent.resultNoHint':
		'"{items}" needs this result: when approving, enter the number of the licence issued (unified social credit code).',
	'lifeEvent.openPart': 'Open "{item}"',
	'lifeEvent.receiptItems': 'Items in this application',
	'lifeEvent.receiptDepartment': 'Department',
	'lifeEvent.receiptExpected': 'Expected',
	'lifeEvent.receiptAfter': 'Counted from when the earlier item is done'
} satisfies Record<keyof typeof zh, string>;
