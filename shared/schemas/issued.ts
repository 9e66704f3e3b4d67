// The two documents a hall hands over for a case: the 申请回执 (application receipt) at
// submission and the 受理通知书 (acceptance notice) the accepting org unit issues at acceptance.
import { z } from 'zod';
import { OrgUnitContactSchema } from './auth.ts';
import { CASE_STATUSES } from './cases.ts';

export const ApplicationReceiptSchema = z
	.object({
		caseId: z.string(),
		receiptNo: z.string(),
		status: z.enum(CASE_STATUSES),
		service: z.object({ code: z.string(), name: z.string(), timeLimitDays: z.number().int() }),
		applicant: z.object({
			name: z.string(),
			idNumber: z
				.string()
				.nullable()
				.meta({ description: 'Masked (1101**********1234); null when the form has none' })
		}),
		submittedAt: z.string(),
		submittedBy: z
			.object({
				id: z.string().nullable(),
				name: z.string(),
				as: z.enum(['self', 'proxy', 'grid'])
			})
			.meta({
				description:
					'Who submitted: the applicant (self), a proxy acting for them (代办, issue 23) or the grid worker at their home (网格员, 入户办)'
			}),
		materialsReceived: z.array(z.object({ material: z.string(), files: z.array(z.string()) })),
		materialsOwed: z
			.array(z.object({ material: z.string(), dueDay: z.string(), handedIn: z.boolean() }))
			.meta({ description: '容缺受理: promised to be handed in by dueDay' }),
		acceptedAt: z.string().nullable().meta({ description: 'Once accepted: the notice exists' }),
		casePath: z.string().meta({ description: 'The case page, for the QR code' }),
		lifeEvent: z
			.object({
				dueDate: z.string().nullable().meta({ description: 'The theme’s own 承诺时限, as a day' }),
				items: z.array(
					z.object({
						itemName: z.string(),
						departmentName: z.string(),
						receiptNo: z.string().nullable(),
						timeLimitDays: z.number().int(),
						expectedDay: z.string().nullable(),
						waitsFor: z.string().nullable()
					})
				)
			})
			.nullable()
			.meta({
				description:
					'一件事一次办: every item of the application with its department, 承诺时限 and expected day (null: a single item)'
			})
	})
	.meta({ id: 'ApplicationReceipt' });
export type ApplicationReceipt = z.infer<typeof ApplicationReceiptSchema>;

export const AcceptanceNoticeSchema = z
	.object({
		caseId: z.string(),
		receiptNo: z.string(),
		service: z.object({ code: z.string(), name: z.string() }),
		applicant: z.object({ name: z.string(), idNumber: z.string().nullable() }),
		acceptedAt: z.string(),
		acceptingOrgUnit: OrgUnitContactSchema,
		agent: z.object({ id: z.string(), name: z.string() }),
		timeLimit: z.object({
			workingDays: z.number().int().meta({ description: '承诺时限, counted from acceptance' }),
			fromDay: z.string().meta({ description: 'Hall-local day of acceptance (YYYY-MM-DD)' }),
			expectedCompletionDay: z
				.string()
				.meta({ description: 'fromDay plus workingDays working days (holiday calendar)' })
		}),
		delivery: z.object({
			method: z.enum(['nearby', 'electronic']),
			place: OrgUnitContactSchema.nullable().meta({
				description: '就近领取: the org unit that hands out the result'
			})
		}),
		contactPhone: z.string().nullable(),
		materialsOwed: z.array(
			z.object({ material: z.string(), dueDay: z.string(), handedIn: z.boolean() })
		)
	})
	.meta({ id: 'AcceptanceNotice' });
export type AcceptanceNotice = z.infer<typeof AcceptanceNoticeSchema>;
