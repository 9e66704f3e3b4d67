// The shell of every page: name, languages, footer, shared vocabularies (roles, levels,
// weekdays, channels) and the API reference page.
// English: exactly the keys of ../zh-CN/app.ts (the type below says so).
import type zh from '../zh-CN/app.ts';

export default {
	'app.name': 'Cloud Hall',
	'app.tagline': 'Government services by video, from home',
	'app.skip': 'Skip to main content',

	'lang.label': 'Language',
	'lang.zh': '中文',
	'lang.en': 'English',
	'care.switch': 'Senior mode',

	'footer.text': 'Cloud Hall: open-source remote government service desk',

	'role.citizen': 'Citizen',
	'role.agent': 'Desk agent',
	'role.township': 'Township staff',
	'role.supervisor': 'Supervisor',
	'role.admin': 'Administrator',
	'role.grid': 'Community grid worker',

	'level.city': 'City',
	'level.district': 'District',
	'level.township': 'Township / street',
	'level.community': 'Community',

	'weekday.1': 'Mon',
	'weekday.2': 'Tue',
	'weekday.3': 'Wed',
	'weekday.4': 'Thu',
	'weekday.5': 'Fri',
	'weekday.6': 'Sat',
	'weekday.7': 'Sun',

	'api.title': 'API reference',
	'api.lead':
		'HTTP API for integrating systems. The complete machine-readable description is at {link}.',
	'api.access': 'Who may call',
	'api.request': 'Request body',
	'api.responses': 'Responses',
	'api.access.public': 'public',
	'api.access.signedIn': 'any signed-in user',
	'api.access.session': 'any session, also one awaiting its second factor',

	// the sign-out after a while idle, on every page
	'idle.warning':
		'No activity for a while: you will be signed out in {time} and unsaved work will be lost.',
	'idle.stay': 'Keep working',

	// 代办: the banner on every page, and who acted on a booking, ticket or case
	'acting.title': 'Acting for family',
	'acting.banner': 'Acting for {name}',
	'acting.bannerEnded': 'Your authority to act for {name} was revoked or has expired',
	'acting.stop': 'Stop acting',
	'acting.stopped': 'You stopped acting. You are yourself again.',
	'acting.signatureInPerson':
		'The applicant signs in person: {name} signs in on their own phone, or during the video session.',
	'acting.byProxyUnnamed': 'By someone acting for them',
	'acting.bookedBy': 'Booked by {name}, acting for them',
	'acting.ticketBy': 'Number taken by {name}, acting for them',
	'acting.submitter': 'Proxy',
	'acting.submittedBy': 'Submitted by {name}, acting for the applicant',

	// how a service is handled, named on tickets, bookings and cases
	'channel.video': 'By video',
	'channel.onsite': 'On site'
} satisfies Record<keyof typeof zh, string>;
