// The main navigation.
// English: exactly the keys of ../zh-CN/nav.ts (the type below says so).
import type zh from '../zh-CN/nav.ts';

export default {
	'nav.label': 'Main navigation',
	'nav.home': 'Home',
	'nav.assistant': 'Assistant',
	'nav.my': 'My services',
	'nav.desk': 'Agent desk',
	'nav.township': 'Township desk',
	'nav.supervisor': 'Dashboard',
	'nav.admin': 'Administration',
	'nav.deviceCheck': 'Device check',
	'nav.apiDocs': 'API reference',
	'nav.login': 'Sign in',
	'nav.register': 'Register',
	'nav.logout': 'Sign out',
	'nav.signedInAs': 'Signed in as {name} ({role})',
	'nav.services': 'Services',
	'nav.myAppointments': 'My appointments',
	'nav.staffAppointments': 'Appointments',
	'nav.kbAdmin': 'Knowledge base',
	'nav.catalogAdmin': 'Service items',
	'nav.schedulesAdmin': 'Schedules',
	'nav.orgUnitsAdmin': 'Org unit details',
	'nav.kiosk': 'Kiosk',
	'nav.formsAdmin': 'Forms',
	'nav.lifeEventsAdmin': 'Life events',
	'nav.cases': 'Cases',
	'nav.myRatings': 'My ratings',
	'nav.myDay': 'My day',
	'nav.followUps': 'Follow-ups',
	'nav.audit': 'Audit log',

	'nav.learn': 'Assistant learning',

	'nav.grid': 'Home visits'
} satisfies Record<keyof typeof zh, string>;
