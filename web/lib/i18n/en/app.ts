// The shell of every page: name, languages, footer, shared vocabularies (roles, levels, weekdays)
// and the API reference page.
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
	'api.access.session': 'any session, also one awaiting its second factor'
} satisfies Record<keyof typeof zh, string>;
