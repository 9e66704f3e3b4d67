// Co-handling: remote guidance and forwarding between levels.
// English: exactly the keys of ../zh-CN/collab.ts (the type below says so).
import type zh from '../zh-CN/collab.ts';

export default {
	'collab.askGuidance': 'Ask an expert upstairs',
	'collab.askedGuidance': 'Guidance requested; waiting for an expert to join.',
	'collab.pool': 'Guidance requests',
	'collab.acceptGuidance': 'Accept and join',
	'collab.requestLine': '{org} · {service} · {by}',
	'collab.escalated': 'overdue',
	'collab.accept': 'Accept',
	'collab.forward': 'Forward for review',
	'collab.approve': 'Approve',
	'collab.return': 'Return for correction',
	'collab.reject': 'Reject',
	'collab.complete': 'Complete (collect nearby)',
	'collab.returnField': 'Field to correct',
	'collab.returnComment': 'What to correct',
	'collab.reviewComment': 'Reviewer: {comment}',
	'collab.casesTitle': 'Cases',
	'collab.casesEmpty': 'No cases.',
	'collab.forReview': 'to review'
} satisfies Record<keyof typeof zh, string>;
