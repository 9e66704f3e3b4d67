import { sqliteEngine } from '../server/engine.ts';
import { sqliteStore } from '../server/db/store.ts';
// `npm run bench`: figures for the foundation's hot paths, measured in-process against a real
// SQLite file. Prints numbers; asserts nothing (performance goals are read, not unit-tested).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { seedDemoIfEmpty } from '../server/demo/seed.ts';
import { silentLogger } from '../server/log.ts';
import { createLogSmsGateway } from '../server/notify/sms.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../server/demo/hall.ts';
import { totpCode, totpStep } from '../server/auth/two-factor.ts';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-'));
const config = loadConfig({
	DATA_DIR: dir,
	LOGIN_PER_IP_PER_MINUTE: '10000',
	SMS_CODES_PER_IP_PER_HOUR: '100000',
	REGISTER_PER_IP_PER_HOUR: '100000'
});
const db = openDatabase(config.databasePath);
migrate(db);
const deps = {
	engine: sqliteEngine(db),
	store: sqliteStore(db),
	config,
	now: () => Date.now(),
	livekit: null,
	log: silentLogger,
	sms: createLogSmsGateway(silentLogger, config.dataDir)
};
await seedDemoIfEmpty(deps);
const app = createApp(deps);

function percentile(sorted: number[], p: number) {
	// nearest rank: the value at rank ceil(p/100 · n)
	return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function measure(name: string, n: number, fn: (i: number) => unknown) {
	const times: number[] = [];
	const start = performance.now();
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn(i);
		times.push(performance.now() - t);
	}
	const total = performance.now() - start;
	times.sort((a, b) => a - b);
	console.log(
		`${name.padEnd(34)} n=${String(n).padStart(5)}  ${(n / (total / 1000)).toFixed(0).padStart(6)}/s  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`
	);
}

const json = (body: unknown) => ({
	method: 'POST',
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body)
});

/** A demo staff session: the password, then (demo staff are enrolled) a real TOTP code. */
async function signIn(login: string): Promise<string> {
	const res = await app.request('/api/auth/login', json({ login, password: DEMO_PASSWORD }));
	const body = (await res.json()) as { token: string; secondFactor: string | null };
	if (body.secondFactor === 'verify') {
		const code = totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), totpStep(Date.now()));
		const verified = await app.request('/api/auth/two-factor/verify', {
			...json({ code }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${body.token}` }
		});
		if (verified.status !== 200) throw new Error(`second factor of ${login}: ${verified.status}`);
	}
	return body.token;
}
const token = await signIn('agent');

console.log(`Cloud Hall foundation benchmark (Node ${process.version}, ${os.cpus().length} cores)`);
await measure('GET /api/me (session check)', 5000, () =>
	app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })
);
await measure('GET /api/health (no LiveKit)', 2000, () => app.request('/api/health'));
await measure('POST /api/auth/login (Argon2id)', 50, () =>
	app.request('/api/auth/login', json({ login: 'agent', password: 'Demo@2026' }))
);
const benchPhone = (i: number) => `1590000${String(i).padStart(4, '0')}`;
await measure('POST /api/auth/phone-codes (SMS log)', 50, (i) =>
	app.request('/api/auth/phone-codes', json({ phone: benchPhone(i), purpose: 'register' }))
);
// the codes as a citizen reads them off the phone: the last line sms.log holds for each number
const codes = new Map<string, string>();
for (const line of fs.readFileSync(path.join(dir, 'sms.log'), 'utf8').trim().split('\n')) {
	const m = JSON.parse(line) as { to: string; text: string };
	codes.set(m.to, m.text.match(/\d{6}/)![0]);
}
await measure('POST /api/auth/register (Argon2id)', 50, (i) =>
	app.request(
		'/api/auth/register',
		json({
			phone: benchPhone(i),
			code: codes.get(benchPhone(i)),
			password: 'Bench#2026',
			name: '压测'
		})
	)
);
await measure('POST /api/auth/register 400 (invalid)', 2000, () =>
	app.request('/api/auth/register', json({ phone: '1', password: '', name: '' }))
);

const items = (await (await app.request('/api/services')).json()) as {
	items: { id: string; code: string }[];
};
const license = items.items.find((i) => i.code === '370281-XZSP-001')!;
await measure('GET /api/services?q=营业执照 (FTS5)', 2000, () =>
	app.request('/api/services?q=' + encodeURIComponent('营业执照'))
);
await measure('GET /api/services?q=社保 (short term)', 2000, () =>
	app.request('/api/services?q=' + encodeURIComponent('社保'))
);
await measure('GET /api/services/:id/days (14 days)', 500, () =>
	app.request(`/api/services/${license.id}/days?channel=video`)
);

// ---- statistics (数据看板): 92 days of history over ~50k tickets ----
{
	const { addDays, localDate, zonedTime } = await import('../shared/dates.ts');
	const tz = config.timeZone;
	const org = (code: string) =>
		(db.prepare('SELECT id FROM org_units WHERE code = ?').get(code) as { id: string }).id;
	const halls = [org('370281'), org('370281001'), org('370281002')];
	const item = (
		db.prepare("SELECT id FROM service_items WHERE code = '370281-XZSP-001'").get() as {
			id: string;
		}
	).id;
	const agentId = (
		db.prepare("SELECT id FROM users WHERE username = 'agent'").get() as {
			id: string;
		}
	).id;
	const insert = db.prepare(
		`INSERT INTO tickets (id, hall_id, day, category, number, code, service_item_id, channel, status, order_key,
		   called_by, called_at, started_at, finished_at, no_show_at, created_at)
		 VALUES (?, ?, ?, 'A', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const ask = db.prepare(
		`INSERT INTO assistant_questions (conversation_id, question, org_unit_id, confidence, answered, created_at)
		 VALUES ('bench', ?, ?, 0.5, ?, ?)`
	);
	const today = localDate(Date.now(), tz);
	const first = addDays(today, -91);
	let seq = 0;
	let rnd = 7;
	const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	db.transaction(() => {
		db.prepare(
			"INSERT INTO assistant_conversations (id, created_at, updated_at) VALUES ('bench', 0, 0)"
		).run();
		for (let d = 0; d < 92; d++) {
			const day = addDays(first, d);
			const open = zonedTime(day, '09:00', tz);
			for (let i = 0; i < 545; i++) {
				const hall = halls[i % 3];
				const created = open + Math.floor(random() * 8 * 3_600_000);
				const called = created + Math.floor(random() * 40 * 60_000);
				const missed = random() < 0.1;
				const started = missed ? null : called + 60_000;
				const n = ++seq;
				insert.run(
					`bench-${n}`,
					hall,
					day,
					n,
					`A${n}`,
					item,
					i % 2 ? 'video' : 'onsite',
					missed ? 'no_show' : 'done',
					created,
					agentId,
					called,
					started,
					started === null ? null : started + Math.floor(random() * 20 * 60_000),
					missed ? called + 300_000 : null,
					created
				);
				if (i % 5 === 0)
					ask.run(`问题${i % 50}`, i % 10 ? halls[0] : null, random() < 0.7 ? 1 : 0, created);
			}
		}
	})();
	const supToken = await signIn('supervisor');
	const auth = { headers: { authorization: `Bearer ${supToken}` } };
	console.log(`stats: ${seq} tickets over 92 days, ${Math.floor(seq / 5)} assistant questions`);
	await measure('GET /api/stats/history (92 days)', 20, () =>
		app.request(`/api/stats/history?from=${first}&to=${today}`, auth)
	);
	await measure('GET /api/stats/history.csv waits', 20, () =>
		app.request(`/api/stats/history.csv?table=waits&from=${first}&to=${today}`, auth)
	);
	await measure('GET /api/stats/live', 500, () => app.request('/api/stats/live', auth));
	await measure('GET /api/stats/my-day', 500, (i) =>
		app.request(`/api/stats/my-day?day=${addDays(first, i % 92)}`, {
			headers: { authorization: `Bearer ${token}` }
		})
	);
}

db.close();
fs.rmSync(dir, { recursive: true, force: true });

// ---- assistant (智能问答): retrieval over 10,000 generated entries ----
{
	const v8 = await import('node:v8');
	const vm = await import('node:vm');
	const { buildIndex, serviceToKbEntry } = await import('../server/assistant/retrieval/index.ts');
	type KbEntry = import('../server/assistant/retrieval/index.ts').KbEntry;
	// a full garbage collection before each heap reading, without changing the npm script's flags
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	let seed = 20261127;
	const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const places =
		'胶州市 李沧区 市南区 市北区 崂山区 城阳区 黄岛区 即墨区 平度市 莱西市 阜安街道 九龙街道 虎山路街道 中云街道 三里河街道 胶东街道 李哥庄镇 铺集镇'.split(
			' '
		);
	const subjects =
		'个体工商户 营业执照 食品经营许可证 住房公积金 灵活就业人员社保 城乡居民医保 老年人优待证 残疾人证 最低生活保障 结婚登记 户口迁移 居民身份证 社会保障卡 退休手续 养老金 生育津贴 失业保险金 职业资格证书 道路运输许可 建筑施工许可 排水许可 药品经营许可证 医疗器械经营备案 出生医学证明 房屋租赁备案 不动产登记 公租房 临时救助 特困人员供养 高龄津贴 兵役登记 法律援助 义务教育入学 特种设备使用登记 烟草专卖零售许可 出版物经营许可 人力资源服务许可 劳务派遣许可 电动自行车登记 新生儿落户'.split(
			' '
		);
	const actions =
		'设立登记 变更登记 注销登记 申领 补办 换领 提取 续保 参保登记 转移接续 核发 延续 备案 审核 认定 发放 年审 查询'.split(
			' '
		);
	const materials =
		'居民身份证 户口簿 近期一寸免冠照片 结婚证 房产证明 房屋租赁合同 营业执照复印件 申请书 委托书 银行卡 医学证明 劳动合同 离职证明 学历证书 体检报告 社会保障卡 经营场所平面图 安全管理制度 收入证明 残疾评定表'.split(
			' '
		);
	const departments =
		'行政审批服务局 人力资源和社会保障局 医疗保障局 民政局 住房公积金管理中心 公安局 卫生健康局 市场监督管理局 交通运输局 教育和体育局'.split(
			' '
		);
	const applicants =
		'在本市从事个体经营的公民 本市户籍居民 年满60周岁的老年人 灵活就业人员 职工本人及配偶 符合条件的困难家庭 新生儿父母 用人单位 退役军人 残疾人'.split(
			' '
		);
	const asks =
		'需要什么材料 多久能办好 在哪里办理 收费吗 可以代办吗 能在网上办吗 丢了怎么补办 有什么条件 办理流程是什么 可以在街道办吗'.split(
			' '
		);
	const answers = [
		'可以在云上大厅预约视频办理，也可以到便民服务窗口现场办理。',
		'材料齐全的当场办结，需要审批的在承诺时限内办结。',
		'本事项不收取费用。',
		'可以由家属或社区网格员代办，需带双方身份证件。',
		'请先在办事服务页面查看办事指南，按清单准备材料。',
		'办理结果可以就近领取，也可以电子送达。'
	];
	// seven in ten are service items (through the same mapping as the live KB), the rest FAQs
	const entries: KbEntry[] = [];
	for (let i = 0; entries.length < 10_000; i++) {
		const place = pick(places);
		const subject = pick(subjects);
		if (random() < 0.7) {
			const action = pick(actions);
			const names = new Set(
				Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(materials))
			);
			entries.push(
				serviceToKbEntry({
					code: `B${String(i).padStart(6, '0')}`,
					name: `${place}${subject}${action}`,
					description: `${pick(applicants)}办理${subject}${action}。${pick(answers)}`,
					keywords: [subject, action, place],
					materials: [...names].map((name) => ({ name })),
					feeFen: random() < 0.9 ? 0 : 100 * Math.floor(1 + random() * 50),
					timeLimitDays: Math.floor(random() * 20),
					departmentName: `${place}${pick(departments)}`,
					channels: random() < 0.5 ? ['video', 'onsite'] : ['onsite']
				})
			);
		} else
			entries.push({
				id: `faq-${i}`,
				title: `${place}${subject}${pick(asks)}？`,
				body: `${pick(answers)}${pick(answers)}所需材料一般包括${pick(materials)}和${pick(materials)}。`,
				tags: [subject, place]
			});
	}
	const phrasings =
		'{s}咋办|{p}{s}要带啥材料|办{s}要多久|{s}{a}在哪办|俺想办个{s}|{s}{a}收钱不|请问{p}能办{s}吗|{s}丢了咋补|帮老人{a}{s}行不行|{s}网上能办不'.split(
			'|'
		);
	const questions = Array.from({ length: 300 }, () =>
		pick(phrasings)
			.replace('{s}', pick(subjects))
			.replace('{p}', pick(places))
			.replace('{a}', pick(actions))
	);
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const start = performance.now();
	const index = buildIndex(entries);
	const buildMs = performance.now() - start;
	gc();
	const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
	console.log(
		`${'assistant index build (10k entries)'.padEnd(34)} ${buildMs.toFixed(0)} ms  heap ${heapMb.toFixed(1)} MB`
	);
	for (let i = 0; i < 50; i++) index.search(questions[i]); // warm-up
	await measure('assistant search (10k entries)', 300, (i) => index.search(questions[i]));
}

const { benchDurability } = await import('./bench-durability.ts');
await benchDurability();

const { benchEngines } = await import('./bench-engines.ts');
await benchEngines();
