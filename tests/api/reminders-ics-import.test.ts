import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openEngine } from '../../server/engine.ts';
import { silentLogger } from '../../server/log.ts';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { count, createHarness, recordingSms, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';

// Every test on a fresh hall: no bookings, no SMS sent, the demo catalog only.
let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const HOUR = 3_600_000;

describe('reminders', () => {
	it('sends the 24 h and 30 min reminders once each, even across a restart, and never for a cancelled booking', async () => {
		const item = await serviceByCode(h, '370281-XZSP-001');
		const kept = await newCitizen(h);
		const dropped = await newCitizen(h);
		await book(h, kept.token, {
			slotId: (await slotAt(h, item.id, '2026-11-27', '10:00')).id,
			serviceId: item.id
		});
		const other = (
			await (
				await book(h, dropped.token, {
					slotId: (await slotAt(h, item.id, '2026-11-27', '10:00')).id,
					serviceId: item.id
				})
			).json()
		).appointment;
		await h.request('POST', `/api/appointments/${other.id}/cancel`, { token: dropped.token });

		await deliverDueNotifications(h.deps);
		expect(h.sms.sent).toEqual([]); // nothing due yet at 09:00 Thursday

		h.clock.advance(1 * HOUR); // Thursday 10:00: 24 hours before
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.map((m) => m.phone)).toEqual([kept.phone]);
		expect(h.sms.sent[0].text).toContain('明天');

		// a restart: a new process with its own connection and gateway on the same database (the
		// SQLite file, or the PostgreSQL database of this run)
		const engine2 = openEngine(h.deps.config);
		const sms2 = recordingSms();
		const deps2 = {
			...h.deps,
			engine: engine2,
			store: engine2.store,
			sms: sms2,
			log: silentLogger
		};
		createApp(deps2);
		await deliverDueNotifications(deps2);
		expect(sms2.sent).toEqual([]);

		h.clock.advance(23.5 * HOUR); // Friday 09:30: 30 minutes before
		await Promise.all([deliverDueNotifications(deps2), deliverDueNotifications(h.deps)]);
		const all = [...h.sms.sent, ...sms2.sent];
		expect(all.map((m) => m.phone)).toEqual([kept.phone, kept.phone]);
		expect(all[1].text).toContain('30分钟');
		expect(all.some((m) => m.phone === dropped.phone)).toBe(false);
		await engine2.close();
		h.clock.advance(-24.5 * HOUR);
	});
});

describe('.ics', () => {
	it('parses with ical.js and carries the start, end, time zone and summary', async () => {
		const item = await serviceByCode(h, '370200-GJJ-011');
		const citizen = await newCitizen(h);
		const a = (
			await (
				await book(h, citizen.token, {
					slotId: (await slotAt(h, item.id, '2026-12-01', '14:00')).id,
					serviceId: item.id
				})
			).json()
		).appointment;
		const res = await h.request('GET', `/api/appointments/${a.id}/ics`, { token: citizen.token });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
		const cal = new ICAL.Component(ICAL.parse(await res.text()));
		const vtimezone = cal.getFirstSubcomponent('vtimezone')!;
		expect(vtimezone.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
		ICAL.TimezoneService.register(vtimezone);
		const vevent = cal.getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Shanghai');
		const event = new ICAL.Event(vevent);
		expect(event.summary).toBe('预约：住房公积金提取（租房）（视频办理）');
		expect(event.startDate.toString()).toBe('2026-12-01T14:00:00');
		expect(event.endDate.toString()).toBe('2026-12-01T14:30:00');
		expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-01T06:00:00.000Z');
	});
});

describe('catalog import', () => {
	const good = [
		{
			code: 'T-001',
			name: '测试事项一',
			departmentCode: 'JZ-XZSP',
			timeLimitDays: 3,
			channels: ['video'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			materials: [{ name: '申请书' }],
			keywords: ['测试']
		},
		{
			code: 'T-002',
			name: '测试事项二',
			departmentCode: 'JZ-RSJ',
			timeLimitDays: 1,
			channels: ['video', 'onsite'],
			acceptLevels: ['township', 'district'],
			approveLevel: 'district'
		}
	];
	const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
	let admin: string;
	beforeEach(async () => {
		admin = await h.loginAs('admin');
	});
	const importFile = (body: unknown) =>
		h.request('POST', '/api/admin/catalog/import', { token: admin, body });

	it('imports a good file, and importing it again changes nothing', async () => {
		const first = await importFile({ format: 'jsonl', content: jsonl(good) });
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({
			applied: true,
			total: 2,
			created: 2,
			updated: 0,
			unchanged: 0,
			rejected: []
		});
		const imported = () =>
			h.store.all("SELECT id, updated_at FROM service_items WHERE code LIKE 'T-%' ORDER BY code");
		const before = await imported();
		const again = await importFile({ format: 'jsonl', content: jsonl(good) });
		expect(await again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
		expect(await imported()).toEqual(before);
		const found = await (
			await h.request('GET', '/api/services?q=' + encodeURIComponent('测试事项'))
		).json();
		expect(found.items.map((i: { code: string }) => i.code).sort()).toEqual(['T-001', 'T-002']);
	});

	it('rejects a file with bad rows whole, naming each row and field', async () => {
		const items = await count(h.store, 'service_items');
		const rows = [
			{ ...good[0], code: 'T-101' },
			{ ...good[0], code: 'T-102', name: '', departmentCode: 'NOPE' },
			{ ...good[0], code: 'T-103', channels: ['fax'], timeLimitDays: -1 }
		];
		const res = await importFile({ format: 'jsonl', content: jsonl(rows) + '\n{broken' });
		expect(res.status).toBe(422);
		const { error } = await res.json();
		expect(error.code).toBe('import_rejected');
		expect(Object.keys(error.fields).sort()).toEqual([
			'row 2.departmentCode',
			'row 2.name',
			'row 3.channels.0',
			'row 3.timeLimitDays',
			'row 4._'
		]);
		expect(await count(h.store, 'service_items')).toBe(items);
	});

	it('skips bad rows when asked, importing the good ones and listing the bad', async () => {
		const rows = [
			{ ...good[0], code: 'T-201' },
			{ ...good[0], code: 'T-202', departmentCode: 'NOPE' }
		];
		const res = await importFile({ format: 'jsonl', content: jsonl(rows), mode: 'skip-bad' });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			applied: true,
			total: 2,
			created: 1,
			updated: 0,
			unchanged: 0,
			rejected: [{ row: 2, field: 'departmentCode', message: 'no department with code NOPE' }]
		});
	});

	it('reads CSV with |-separated lists, and updates a changed row', async () => {
		expect(
			(await (await importFile({ format: 'jsonl', content: jsonl(good) })).json()).created
		).toBe(2);
		const csv = [
			'code,name,departmentCode,timeLimitDays,channels,acceptLevels,approveLevel,materials,keywords',
			'T-001,测试事项一（新）,JZ-XZSP,3,video|onsite,district,district,申请书|照片?,测试',
			'T-301,"CSV 事项",JZ-MZJ,5,video,township|community,township,身份证,'
		].join('\n');
		const res = await importFile({ format: 'csv', content: csv });
		expect(await res.json()).toMatchObject({ created: 1, updated: 1, unchanged: 0, rejected: [] });
		const t1 = (
			await (await h.request('GET', '/api/services?department=JZ-XZSP')).json()
		).items.find((i: { code: string }) => i.code === 'T-001');
		const detail = await (await h.request('GET', `/api/services/${t1.id}`)).json();
		expect(detail).toMatchObject({ name: '测试事项一（新）', channels: ['video', 'onsite'] });
		expect(detail.materials).toEqual([
			{ name: '申请书', description: '', required: true, key: false },
			{ name: '照片', description: '', required: false, key: false }
		]);
	});
});

describe('search', () => {
	it('finds business registration for 营业执照 and the provident fund for 公积金', async () => {
		const codes = async (q: string) =>
			(
				(await (await h.request('GET', '/api/services?q=' + encodeURIComponent(q))).json())
					.items as { code: string }[]
			).map((i) => i.code);
		expect(await codes('营业执照')).toEqual(
			expect.arrayContaining(['370281-XZSP-001', '370281-XZSP-014'])
		);
		expect((await codes('营业执照'))[0]).toBe('370281-XZSP-001');
		expect(await codes('公积金')).toEqual(['370200-GJJ-011']);
		expect(await codes('住房公积金')).toEqual(['370200-GJJ-011']);
		expect(await codes('社保')).toEqual(['370281-RSJ-003']);
		expect(await codes('ＸＹＺ不存在的事项')).toEqual([]);
	});

	it('filters by level, channel, department and bundle', async () => {
		const list = async (qs: string) =>
			(
				(await (await h.request('GET', `/api/services?${qs}`)).json()).items as { code: string }[]
			).map((i) => i.code);
		expect(await list('level=community')).toEqual(
			expect.arrayContaining(['370281-YBJ-002', '370281-MZJ-007'])
		);
		expect(await list('channel=onsite')).not.toContain('370200-GJJ-011');
		expect(await list('department=QD-GJJ')).toEqual(['370200-GJJ-011']);
		expect((await list('bundle=KBCY')).sort()).toEqual([
			'370281-RSJ-003',
			'370281-SWJ-005',
			'370281-XZSP-001',
			'370281-XZSP-014'
		]);
		expect((await h.request('GET', '/api/services?level=galaxy')).status).toBe(400);
	});

	it('uses no config the test did not give (sanity: the harness runs in the hall time zone)', () => {
		expect(loadConfig({}).timeZone).toBe(h.deps.config.timeZone);
	});
});
