// The case's timeline as the page tells it: one line per step, saying who acted and, apart from
// that, for whom (代办: a proxy for the applicant; 入户办: a grid worker with the resident). A run
// of field writes (or confirmations) by the same person is one line naming the fields. Steps a
// reader need not see (pointing, presence) never reach the timeline (server/cases/cases.ts).
import type { MessageKey } from '$lib/i18n/index.ts';
import type { Case } from '$shared/schemas/cases.ts';

type CaseEvent = Case['timeline'][number];

export interface TimelineEntry {
	id: number;
	at: string;
	/** who acted: the applicant themself, a proxy, a grid worker, staff, or the hall itself */
	who: { as: 'self' | 'proxy' | 'grid' | 'staff' | 'system'; name: string; org?: string };
	/** for whom, when someone acted for the applicant (a proxy, a grid worker); else null */
	forWhom: string | null;
	what: { key: MessageKey; params: Record<string, string> };
	/** the field labels a summarised run of writes names */
	fields: string[];
}

const STEPS: Record<string, MessageKey> = {
	'case.created': 'case.timeline.created',
	'field.changed': 'case.timeline.filled',
	'field.confirmed': 'case.timeline.confirmed',
	'signature.voided': 'case.timeline.signatureVoided',
	'document.uploaded': 'case.timeline.uploaded',
	'material.owed': 'case.timeline.owed',
	'material.requested': 'case.timeline.requested',
	'case.signed': 'case.timeline.signed',
	'case.submitted': 'case.timeline.submitted',
	'case.accepted': 'case.timeline.accepted',
	'case.forwarded': 'case.timeline.forwarded',
	'case.returned': 'case.timeline.returned',
	'case.approved': 'case.timeline.approved',
	'case.rejected': 'case.timeline.rejected',
	'case.completed': 'case.timeline.completed'
};

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function whoOf(e: CaseEvent): TimelineEntry['who'] {
	const org = text(e.payload.orgUnitName);
	return { as: e.actedAs ?? 'system', name: e.actorName ?? '', ...(org ? { org } : {}) };
}

function whatOf(e: CaseEvent): TimelineEntry['what'] | null {
	const p = e.payload;
	if (e.type === 'document.reviewed')
		return p.verdict === 'accepted'
			? { key: 'case.timeline.reviewedAccepted', params: { material: text(p.material) } }
			: {
					key: 'case.timeline.reviewedReupload',
					params: { material: text(p.material), reason: text(p.reason) }
				};
	// the resident signed on the grid worker's tablet: the signature is hers, the device his
	if (e.type === 'case.signed' && p.signedOnDeviceOf)
		return { key: 'case.timeline.signedOnTablet', params: { grid: e.actorName ?? '' } };
	const key = STEPS[e.type];
	if (!key) return null;
	return {
		key,
		params: {
			material: text(p.material),
			receiptNo: text(p.receiptNo)
		}
	};
}

/** The timeline's lines, oldest first. */
export function timelineEntries(kase: Case): TimelineEntry[] {
	const labels = new Map(
		kase.template.definition.sections.flatMap((s) => s.fields).map((f) => [f.key, f.label])
	);
	const entries: TimelineEntry[] = [];
	for (const e of kase.timeline) {
		const what = whatOf(e);
		if (!what) continue;
		let who = whoOf(e);
		let forWhom = e.actedAs === 'proxy' || e.actedAs === 'grid' ? (e.actedFor?.name ?? null) : null;
		if (e.type === 'case.signed' && e.payload.signedOnDeviceOf) {
			// 签名必须本人: the applicant signed, in person
			who = { as: 'self', name: kase.citizen.name };
			forWhom = null;
		}
		const field = text(e.payload.key);
		const last = entries.at(-1);
		const run = e.type === 'field.changed' || e.type === 'field.confirmed';
		if (
			run &&
			last &&
			last.what.key === what.key &&
			last.who.as === who.as &&
			last.who.name === who.name &&
			last.forWhom === forWhom
		) {
			const label = labels.get(field) ?? field;
			if (!last.fields.includes(label)) last.fields.push(label);
			last.at = e.at;
			continue;
		}
		entries.push({
			id: e.id,
			at: e.at,
			who,
			forWhom,
			what,
			fields: run ? [labels.get(field) ?? field] : []
		});
	}
	return entries;
}
