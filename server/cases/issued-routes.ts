// HTTP for the documents a case's parties hold: the 申请回执 and the 受理通知书.
import { AcceptanceNoticeSchema, ApplicationReceiptSchema } from '../../shared/schemas/issued.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { acceptanceNotice, applicationReceipt } from './issued.ts';

const PARTIES = ['citizen', 'agent', 'township', 'supervisor'] as const;

const receipt = defineRoute(PARTIES, {
	method: 'get',
	path: '/cases/{id}/receipt',
	tags: ['cases'],
	summary:
		'申请回执: receipt number, item, applicant (ID masked), time, materials received and owed (容缺)',
	request: { params: IdParam },
	responses: {
		200: json(ApplicationReceiptSchema, 'The application receipt'),
		404: errorJson('No such case, or not yours to see'),
		409: errorJson('not_submitted: the case has not been submitted')
	}
});

const notice = defineRoute(PARTIES, {
	method: 'get',
	path: '/cases/{id}/acceptance-notice',
	tags: ['cases'],
	summary:
		'受理通知书: accepting org unit and agent, 承诺时限 in working days and the expected completion day, delivery, contact phone',
	request: { params: IdParam },
	responses: {
		200: json(AcceptanceNoticeSchema, 'The acceptance notice'),
		404: errorJson('No such case, or not yours to see'),
		409: errorJson('not_accepted: the case has not been accepted')
	}
});

export function issuedDocumentRoutes() {
	return createRouter()
		.openapi(receipt, async (c) =>
			c.json(await applicationReceipt(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		)
		.openapi(notice, async (c) =>
			c.json(await acceptanceNotice(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		);
}
