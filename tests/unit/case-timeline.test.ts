// The case page's timeline lines (web/routes/(signed-in)/cases/[id]/timeline.ts): who acted and,
// apart from that, for whom; a run of field writes by one person is one line naming the fields.
import { describe, expect, it } from 'vitest';
import { timelineEntries } from '../../web/routes/(signed-in)/cases/[id]/timeline.ts';
import type { Case } from '../../shared/schemas/cases.ts';

const MOTHER = { id: 'u-mother', name: '王秀兰' };
let id = 0;
const event = (
	type: string,
	actor: { id: string; name: string } | null,
	actedAs: Case['timeline'][number]['actedAs'],
	actedFor: { id: string; name: string } | null,
	payload: Record<string, unknown> = {}
): Case['timeline'][number] => ({
	id: ++id,
	type,
	actorId: actor?.id ?? null,
	actorName: actor?.name ?? null,
	actedAs,
	actedFor,
	payload,
	at: `2026-11-30T10:${String(id).padStart(2, '0')}:00.000+08:00`
});

function caseWith(timeline: Case['timeline']): Case {
	return {
		citizen: MOTHER,
		template: {
			id: 't',
			version: 1,
			definition: {
				title: '个体工商户设立登记',
				sections: [
					{
						title: '经营者',
						fields: [
							{ key: 'name', kind: 'text', label: '经营者姓名' },
							{ key: 'phone', kind: 'phone', label: '联系电话' }
						]
					}
				]
			}
		},
		timeline
	} as unknown as Case;
}

describe('case timeline', () => {
	it('names the proxy as the one who acted and the applicant as the one acted for; fields in a run are one line', () => {
		const son = { id: 'u-son', name: '王小明' };
		const entries = timelineEntries(
			caseWith([
				event('case.created', son, 'proxy', MOTHER),
				event('field.changed', son, 'proxy', MOTHER, { key: 'name' }),
				event('field.changed', son, 'proxy', MOTHER, { key: 'phone' }),
				event('field.changed', son, 'proxy', MOTHER, { key: 'name' }),
				event('case.signed', MOTHER, 'self', null),
				event('case.submitted', son, 'proxy', MOTHER, { receiptNo: 'R1' }),
				event('pointed', son, 'proxy', MOTHER, { key: 'name' })
			])
		);
		expect(entries.map((e) => [e.what.key, e.who, e.forWhom, e.fields])).toEqual([
			['case.timeline.created', { as: 'proxy', name: '王小明' }, '王秀兰', []],
			[
				'case.timeline.filled',
				{ as: 'proxy', name: '王小明' },
				'王秀兰',
				['经营者姓名', '联系电话']
			],
			['case.timeline.signed', { as: 'self', name: '王秀兰' }, null, []],
			['case.timeline.submitted', { as: 'proxy', name: '王小明' }, '王秀兰', []]
		]);
		expect(entries[3].what.params.receiptNo).toBe('R1');
	});

	it('入户办: the grid worker helps the resident; her signature on the tablet is her own; staff with their org unit', () => {
		const grid = { id: 'u-grid', name: '赵秀梅' };
		const agent = { id: 'u-agent', name: '周敏' };
		const entries = timelineEntries(
			caseWith([
				event('field.changed', agent, 'staff', null, { key: 'name' }),
				event('field.changed', grid, 'grid', MOTHER, { key: 'phone' }),
				event('document.uploaded', grid, 'grid', MOTHER, { material: '身份证' }),
				event('case.signed', grid, 'grid', MOTHER, {
					signedBy: MOTHER.id,
					signedOnDeviceOf: grid.id
				}),
				event('case.accepted', agent, 'staff', null, { orgUnitName: '胶州市政务服务中心' })
			])
		);
		expect(entries.map((e) => [e.what.key, e.who, e.forWhom])).toEqual([
			['case.timeline.filled', { as: 'staff', name: '周敏' }, null],
			['case.timeline.filled', { as: 'grid', name: '赵秀梅' }, '王秀兰'],
			['case.timeline.uploaded', { as: 'grid', name: '赵秀梅' }, '王秀兰'],
			['case.timeline.signedOnTablet', { as: 'self', name: '王秀兰' }, null],
			['case.timeline.accepted', { as: 'staff', name: '周敏', org: '胶州市政务服务中心' }, null]
		]);
		expect(entries[2].what.params.material).toBe('身份证');
		expect(entries[3].what.params.grid).toBe('赵秀梅');
	});
});
