// A resident's request for a home visit (入户办, issue 23): the form, its list and its states.
// English: exactly the keys of ../zh-CN/home-visit.ts (the type below says so).
import type zh from '../zh-CN/home-visit.ts';

export default {
	'homeVisit.reason.elderly': 'Elderly',
	'homeVisit.reason.sick': 'Ill',
	'homeVisit.reason.disabled': 'Disabled',
	'homeVisit.reason.pregnant': 'Pregnant',
	'homeVisit.reason.other': 'Another reason',
	'homeVisit.title': 'Ask for a home visit',
	'homeVisit.lead':
		'A community grid worker contacts you, agrees a time and comes with a tablet to connect you to a hall agent by video for {item}.',
	'homeVisit.leadNoItem':
		'A community grid worker contacts you, agrees a time and comes with a tablet to connect you to a hall agent by video.',
	'homeVisit.item': 'Service',
	'homeVisit.chooseItem': 'First choose the service on its page, then ask for a home visit there.',
	'homeVisit.community': 'Your community',
	'homeVisit.chooseCommunity': 'Choose',
	'homeVisit.address': 'Address for the visit',
	'homeVisit.addressHint': 'For example: Zhengzhou Road 12, unit 3, flat 201',
	'homeVisit.phone': 'Phone (optional)',
	'homeVisit.phoneHint': 'The grid worker calls you or your family on this number',
	'homeVisit.reason': 'Why a visit at home',
	'homeVisit.note': 'Anything else (optional)',
	'homeVisit.communityError': 'Choose your community',
	'homeVisit.addressError': 'Enter the address for the visit (4 to 200 characters)',
	'homeVisit.reasonError': 'Choose why a visit at home is needed',
	'homeVisit.noteError': 'The note can have at most 500 characters',
	'homeVisit.submit': 'Send the request',
	'homeVisit.sent':
		'Your request has been sent. You get a notice when a grid worker takes it and agrees a time.',
	'homeVisit.mine': 'My home visit requests',
	'homeVisit.none': 'You have no home visit requests.',
	'homeVisit.gridWorker': 'Grid worker {name}',
	'homeVisit.visitAt': 'Visit {when}',
	'homeVisit.helpProxy': 'Let family act for you',
	'homeVisit.helpGrid': 'Ask a grid worker to visit',
	'homeVisit.deskLine': 'Home visit · grid worker {grid} · resident {resident}'
} satisfies Record<keyof typeof zh, string>;
