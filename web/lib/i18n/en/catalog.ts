// The service catalogue: the list, one service, channels (its administration is in admin.ts).
// English: exactly the keys of ../zh-CN/catalog.ts (the type below says so).
import type zh from '../zh-CN/catalog.ts';

export default {
	'services.title': 'Services',
	'services.lead': 'Find your service, read the guide and the materials needed, and book online.',
	'services.search': 'Search',
	'services.query': 'Keywords',
	'services.department': 'Department',
	'services.bundle': 'Life event',
	'services.level': 'Accepted at',
	'services.channel': 'Channel',
	'services.any': 'Any',
	'services.count_one': '{count} service',
	'services.count_other': '{count} services',
	'services.none': 'Nothing found. Try other words, or ask the assistant.',
	'services.askAssistant': 'Ask the assistant: "{q}"',
	'services.bundles': 'Life events (one application)',

	'service.guide': 'Guide',
	'service.materials': 'Materials',
	'service.materialsHint': 'Tick what you have ready (kept on this page only).',
	'service.optional': ' (optional)',
	'service.fee': 'Fee',
	'service.free': 'Free',
	'service.feeYuan': '{yuan} yuan',
	'service.timeLimit': 'Time limit',
	'service.days_one': '{count} working day',
	'service.days_other': '{count} working days',
	'service.department': 'Department',
	'service.acceptLevels': 'Accepted at',
	'service.approveLevel': 'Approved at',
	'service.channels': 'Channels',
	'service.book': 'Book an appointment',
	'service.actions': 'Get it done',
	'service.back': 'Back to services',
	'service.takeTicket': 'Take a queue number',
	'service.takeTicketHint': 'Wait at home; this page alerts you when it is your turn.',
	'service.hall': 'Where to be served',
	'service.hallHint':
		'The city or district hall, or a nearby township service centre that offers this item; a desk there calls you.',
	'service.priority': 'Priority lane (optional)',
	'service.priority.none': 'Not needed',
	'service.priority.elderly': 'Elderly (60+)',
	'service.priority.disabled': 'Disabled',
	'service.priority.pregnant': 'Pregnant',
	'service.takeVideo': 'Queue (by video)',
	'service.takeOnsite': 'Queue (on site)',
	'service.loginToQueue': 'Sign in to book or queue',

	'service.homeVisit': 'Ask for a home visit',
	'service.homeVisitHint':
		'Hard to get around? A community grid worker can come with a tablet and connect you to an agent by video.',
	'service.apply': 'Apply online'
} satisfies Record<keyof typeof zh, string>;
