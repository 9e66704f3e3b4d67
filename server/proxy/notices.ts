// 代办: the applicant hears, in the hall and on their own phone, of each ticket and submission a
// proxy made for them (the booking's notice is server/booking/notices.ts's, with the proxy named).
// Each is an outbox row written in the transaction of the change it announces.
import type { Deps } from '../deps.ts';
import { maskName } from '../accounts/accounts.ts';
import { gridWorkerActingFor, proxyActingFor } from '../access/acting.ts';
import { enqueueNotice } from '../notify/outbox.ts';

export async function noticeProxyTicket(
	deps: Deps,
	ticket: { id: string; code: string; service_name: string; hall_name: string },
	applicantId: string
): Promise<void> {
	const proxy = proxyActingFor(applicantId);
	if (!proxy) return;
	await enqueueNotice(deps, {
		userId: applicantId,
		kind: 'proxy_ticket_taken',
		params: {
			proxyName: maskName(proxy.name) ?? '',
			serviceName: ticket.service_name,
			code: ticket.code,
			hallName: ticket.hall_name
		},
		link: `/queue/${ticket.id}`,
		dueAt: deps.now(),
		key: `proxy_ticket:${ticket.id}`,
		channels: ['in_app', 'sms']
	});
}

export async function noticeProxySubmission(
	deps: Deps,
	kase: { id: string; service_name: string; receipt_no: string | null },
	applicantId: string
): Promise<void> {
	const proxy = proxyActingFor(applicantId);
	const gridWorker = proxy ? null : gridWorkerActingFor(applicantId);
	if (gridWorker) {
		// 入户办: the grid worker submitted at her home; she hears it on her own phone too
		await enqueueNotice(deps, {
			userId: applicantId,
			kind: 'grid_case_submitted',
			params: {
				gridWorkerName: gridWorker.name,
				serviceName: kase.service_name,
				receiptNo: kase.receipt_no ?? ''
			},
			link: `/cases/${kase.id}`,
			dueAt: deps.now(),
			key: `grid_submitted:${kase.id}`,
			channels: ['in_app', 'sms']
		});
		return;
	}
	if (!proxy) return;
	await enqueueNotice(deps, {
		userId: applicantId,
		kind: 'proxy_case_submitted',
		params: {
			proxyName: maskName(proxy.name) ?? '',
			serviceName: kase.service_name,
			receiptNo: kase.receipt_no ?? ''
		},
		link: `/cases/${kase.id}`,
		dueAt: deps.now(),
		key: `proxy_submitted:${kase.id}`,
		channels: ['in_app', 'sms']
	});
}
