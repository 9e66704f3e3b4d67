// The start pages: the public home, the citizen's and the staff's home.
// English: exactly the keys of ../zh-CN/home.ts (the type below says so).
import type zh from '../zh-CN/home.ts';

export default {
	'home.title': 'Cloud Hall: government services from home',
	'home.lead':
		'Book a time or take a queue number online. When it is your turn, meet a service agent by video who guides you through the application, documents and signature.',
	'home.steps': 'How it works',
	'home.step1.title': 'Book or take a number',
	'home.step1.body':
		'Choose the service, book a video slot or join the queue online, and wait at home.',
	'home.step2.title': 'Meet by video',
	'home.step2.body':
		'When called, join the video session. An agent guides you; township staff and experts can join to help.',
	'home.step3.title': 'Fill in and sign online',
	'home.step3.body':
		'Fill in the form together with the agent, upload documents from your phone and sign. Collect the result nearby or receive it electronically.',
	'home.start': 'Get started',
	'home.registerCta': 'Create an account',
	'home.loginCta': 'I have an account: sign in',
	'home.deviceCta': 'Check camera and microphone first',
	'home.help': 'Need help? A family member or community grid worker can act for you as a proxy.',
	'home.searchLabel': 'Search services',
	'home.searchPlaceholder': 'e.g. business licence, provident fund',
	'home.search': 'Search',
	'home.browse': 'Browse all services',

	'my.title': 'My services',
	'my.greeting': 'Hello, {name}',
	'my.lead': 'Your appointments, queue numbers and applications.',
	'my.deviceCheck': 'Before a video session, run a device check.',
	'my.account': 'Account',
	'my.phone': 'Phone',

	'staff.greeting': 'Hello, {name}',
	'staff.orgUnit': 'Org unit',
	'staff.notices': 'Notices',

	'township.title': 'Township desk',
	'township.lead': 'Accept delegated items, ask for remote guidance, forward cases for review.',

	'my.ratingsPrompt_one': '{count} service is waiting for your rating: rate now',
	'my.ratingsPrompt_other': '{count} services are waiting for your rating: rate now',

	'my.homeVisitsLink': 'Home visits: a community grid worker helps you at home',

	'my.proxyLink': 'Act for a family member, see and revoke authority',
	'my.findService': 'Find a service to book',
	'my.homeVisits': 'My home visit requests'
} satisfies Record<keyof typeof zh, string>;
