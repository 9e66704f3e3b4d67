// Ratings, their follow-ups and the citizen's ratings page.
// English: exactly the keys of ../zh-CN/ratings.ts (the type below says so).
import type zh from '../zh-CN/ratings.ts';

export default {
	'rating.title': 'Rate this service',
	'rating.about': 'Service: {name}. Your rating is used only to improve the service.',
	'rating.scoreLegend': 'How satisfied are you?',
	'rating.score.5': 'Very satisfied',
	'rating.score.4': 'Satisfied',
	'rating.score.3': 'Fairly satisfied',
	'rating.score.2': 'Dissatisfied',
	'rating.score.1': 'Very dissatisfied',
	'rating.tagsLegend': 'Reasons (optional, any number)',
	'rating.tag.long_wait': 'Long wait',
	'rating.tag.bad_attitude': 'Unfriendly',
	'rating.tag.unfamiliar': 'Did not know the procedure',
	'rating.tag.not_done_at_once': 'Not done in one go',
	'rating.tag.unclear_materials': 'Unclear about documents',
	'rating.tag.system_lag': 'System was slow',
	'rating.tag.patient': 'Warm and patient',
	'rating.tag.efficient': 'Efficient',
	'rating.tag.clear_explanation': 'Explained clearly',
	'rating.comment': 'Comments (optional)',
	'rating.submit': 'Submit rating',
	'rating.saveChange': 'Save change',
	'rating.change': 'Change rating',
	'rating.thanks': 'Thank you for your rating: {label}.',
	'rating.followUpPromise_one':
		'We will contact you within {count} working day to look into it and put it right.',
	'rating.followUpPromise_other':
		'We will contact you within {count} working days to look into it and put it right.',
	'rating.followUpStatus': 'Follow-up: {status}',
	'rating.locked': 'More than 24 hours have passed; the rating can no longer be changed.',
	'rating.already': 'This service has already been rated.',
	'rating.commentTooLong_one': 'Comments may be at most {count} character.',
	'rating.commentTooLong_other': 'Comments may be at most {count} characters.',
	'rating.failed': 'The rating was not saved; please try again.',

	'myRatings.title': 'My ratings',
	'myRatings.lead':
		'Rate every video session and every completed case. A poor rating is followed up by the serving office within 15 working days.',
	'myRatings.pending': 'To rate ({count})',
	'myRatings.nonePending': 'Nothing to rate.',
	'myRatings.given': 'Rated',
	'myRatings.noneGiven': 'No ratings yet.',
	'myRatings.kind.session': 'Video session',
	'myRatings.kind.case': 'Case',

	'followup.status.open': 'To contact',
	'followup.status.contacted': 'Contacted, being fixed',
	'followup.status.resolved': 'Fixed',
	'followup.status.cancelled': 'Withdrawn',

	'followups.title': 'Follow-ups of poor ratings',
	'followups.lead':
		'Dissatisfied ratings must be followed up — contact, fix and reply — within 15 working days.',
	'followups.filter': 'Status',
	'followups.active': 'All (except withdrawn)',
	'followups.apply': 'Filter',
	'followups.none': 'Nothing to follow up.',
	'followups.due': 'due {day}',
	'followups.overdue': 'Overdue',
	'followups.citizen': 'Citizen',
	'followups.servedBy': 'Served by',
	'followups.ratedAt': 'Rated at',
	'followups.reasons': 'Reasons',
	'followups.comment': 'Comment',
	'followups.contactNote': 'Contact note',
	'followups.resolution': 'What was fixed',
	'followups.call': 'Show the full number (recorded in the audit log)',
	'followups.contacted': 'Contacted',
	'followups.resolve': 'Fixed: reply to the citizen'
} satisfies Record<keyof typeof zh, string>;
