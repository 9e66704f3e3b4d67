// The documents a hall hands over (申请回执, 受理通知书) and the org units' contact details.
// English: exactly the keys of ../zh-CN/issued.ts (the type below says so).
import type zh from '../zh-CN/issued.ts';

export default {
	'issued.openReceipt': 'Application receipt',
	'issued.openNotice': 'Acceptance notice',
	'issued.newTab': ' (opens in a new tab; you stay on this page)',
	'issued.receiptTitle': 'Application receipt',
	'issued.noticeTitle': 'Acceptance notice',
	'issued.receiptNo': 'Receipt number',
	'issued.service': 'Service',
	'issued.applicant': 'Applicant',
	'issued.idNumber': 'ID number',
	'issued.submittedAt': 'Submitted',
	'issued.received': 'Materials received',
	'issued.owed': 'Materials still owed',
	'issued.owedDue': '{material}: to be handed in by {day}',
	'issued.owedHandedIn': '{material}: handed in',
	'issued.none': 'None',
	'issued.timeLimit': 'Time limit',
	'issued.workingDays_one': '{count} working day',
	'issued.workingDays_other': '{count} working days',
	'issued.sameDay': 'Done on the spot',
	'issued.fromAcceptance': 'counted from the day of acceptance; public holidays do not count',
	'issued.next': 'What happens next',
	'issued.nextSubmitted':
		'Staff check your application and materials and decide whether to accept it. You will get a text message and a notice here, and can then open the acceptance notice on the case page.',
	'issued.nextAccepted':
		'Your application was accepted on {time}; the acceptance notice gives the time limit and how you get the result.',
	'issued.nextOwed':
		'Hand in the owed materials before their dates; an application whose materials are not handed in may be returned.',
	'issued.qrAlt': 'QR code of the case page',
	'issued.qrCaption': 'Scan to follow your case',
	'issued.print': 'Print',
	'issued.noticeLead':
		'{name}: we have examined your application for "{service}" (receipt {no}) and accept it.',
	'issued.acceptingOrg': 'Accepted by',
	'issued.agent': 'Accepting officer',
	'issued.acceptedAt': 'Accepted on',
	'issued.expected': 'Expected completion',
	'issued.counted_one': '{count} working day from {day}',
	'issued.counted_other': '{count} working days from {day}',
	'issued.delivery': 'Result',
	'issued.deliveryNearby': 'Collect it nearby: {place}',
	'issued.deliveryElectronic':
		'Electronic delivery: the result is sent to your account as an electronic licence, as valid as the paper one.',
	'issued.address': 'Address: {address}',
	'issued.hours': 'Opening hours: {hours}',
	'issued.contactPhone': 'Enquiries',
	'issued.unset': 'Not recorded',
	'issued.seal': '{org} (acceptance)',
	'orgAdmin.title': 'Org unit addresses and hours',
	'orgAdmin.lead':
		'The address, phone and opening hours are printed on the acceptance notice (the accepting org unit and where results are collected). Leave a box empty when unknown.',
	'orgAdmin.address': 'Address',
	'orgAdmin.phone': 'Phone',
	'orgAdmin.phoneHint': 'A landline such as 0532-87212345, or an 11-digit mobile number',
	'orgAdmin.hours': 'Opening hours',
	'orgAdmin.hoursHint': 'For example: Mon to Fri 9:00-12:00, 13:30-17:00 (not on public holidays)',
	'orgAdmin.save': 'Save',
	'orgAdmin.saved': 'Saved the details of {name}.',
	'orgAdmin.error.address': 'At most 120 characters',
	'orgAdmin.error.phone': 'Enter a landline such as 0532-87212345 or an 11-digit mobile number',
	'orgAdmin.error.openingHours': 'At most 120 characters'
} satisfies Record<keyof typeof zh, string>;
