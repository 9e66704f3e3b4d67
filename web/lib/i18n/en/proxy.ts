// 代办授权 (issue 23): asking for and confirming authority to act for someone, the grants under
// My account, the banner while acting and who acted on a record.
// English: exactly the keys of ../zh-CN/proxy.ts (the type below says so).
import type zh from '../zh-CN/proxy.ts';

export default {
	'proxy.title': 'Acting for family',
	'proxy.lead':
		'When a family member cannot do things in the hall themself, you can do them for them. Their phone gets a code; once they tell you the code, your authority starts.',
	'proxy.ask': 'Act for a family member',
	'proxy.grantorPhone': "Your family member's mobile number",
	'proxy.grantorPhoneHint': 'The code goes to this number; ask them to tell you the code',
	'proxy.scope': 'Which services',
	'proxy.scopeAll': 'All services',
	'proxy.scopeChosen': 'Chosen services',
	'proxy.chooseItems': 'Choose services',
	'proxy.chooseItemsHint': 'With "Chosen services", tick at least one',
	'proxy.validUntil': 'Last day of the authority (included)',
	'proxy.validUntilHint': 'At most one year; after that, ask again',
	'proxy.send': 'Send the code',
	'proxy.sent_one':
		'If {phone} has an account, a code was sent to it. It is valid for {count} minute. Ask your family member to tell you the code.',
	'proxy.sent_other':
		'If {phone} has an account, a code was sent to it. It is valid for {count} minutes. Ask your family member to tell you the code.',
	'proxy.confirmTitle': 'Enter the code your family member received',
	'proxy.code': 'Code',
	'proxy.codeHint': 'The 6 digits in the text message on their phone',
	'proxy.confirm': 'Confirm',
	'proxy.confirmed': 'Your authority has started. You can now act for them.',
	'proxy.revoked': 'The authority was revoked.',
	'proxy.asProxy': 'I act for',
	'proxy.asGrantor': 'Acting for me',
	'proxy.noneAsProxy': 'You do not act for anyone yet.',
	'proxy.noneAsGrantor': 'Nobody acts for you.',
	'proxy.for': 'For {name}',
	'proxy.by': 'Acting for you: {name}',
	'proxy.pendingName': 'Waiting for the code',
	'proxy.phone': 'Phone {phone}',
	'proxy.state': 'State',
	'proxy.items': 'Services',
	'proxy.lastDay': 'Last day',
	'proxy.allItems': 'All services',
	'proxy.status.pending': 'Waiting for confirmation (code or signature in a video session)',
	'proxy.confirmedVia': 'Confirmed by',
	'proxy.via.sms': 'SMS code, {at}',
	'proxy.via.signature': 'Own signature in a video session, {at}',

	'grantSign.agentTitle': 'Proxy requests waiting for confirmation',
	'grantSign.agentHint':
		'The citizen can confirm these requests by signing during the call. Tell them first who the proxy is and for which items.',
	'grantSign.proxy': 'Proxy {name} ({phone})',
	'grantSign.ask': 'Ask the citizen to sign',
	'grantSign.askAgain': 'Ask again',
	'grantSign.asked': 'Asked; waiting for the signature',
	'grantSign.signedNotice': 'The citizen signed: the grant is active',
	'grantSign.title': 'Confirm a proxy',
	'grantSign.what':
		'You let {name} ({phone}) act for you for {items} until {validUntil} (inclusive).',
	'grantSign.pad': 'Sign here',
	'grantSign.clear': 'Clear',
	'grantSign.sign': 'Sign to confirm',
	'grantSign.later': 'Not now',
	'grantSign.done': 'The grant is active. You can revoke it at any time under My account.',
	'proxy.status.active': 'Active',
	'proxy.status.expired': 'Expired',
	'proxy.status.revoked': 'Revoked',
	'proxy.enterCode': 'Enter the code',
	'proxy.start': 'Start acting',
	'proxy.revoke': 'Revoke',
	'proxy.revokeQuestion':
		'Revoke this authority? They can no longer act for you, and anything they are doing now stops at once.',
	'proxy.revokeYes': 'Revoke',
	'proxy.revokeNo': 'Keep it'
} satisfies Record<keyof typeof zh, string>;
