// The assistant over HTTP: answers with actions from the live knowledge base, "don't know"
// below the threshold, follow-ups on the conversation's item, the question log, hand-off to a
// video ticket the agent sees the conversation of, and FAQ editing and import.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import type { AskResult } from '../../shared/schemas/assistant.ts';
import { holdKbRebuilds, kbEntries, kbUpToDate, liveKb } from '../../server/assistant/kb.ts';
import { redactQuestion } from '../../server/assistant/assistant.ts';

const run = promisify(execFile);
let h: Harness;
let admin: string;
let agent: string;

// Every test on a fresh hall: the demo knowledge base and catalog, no conversations.
beforeEach(async () => {
	h = await createHarness({ env: { ASSISTANT_PER_MINUTE: '1000' } });
	admin = await h.loginAs('admin');
	agent = await h.loginAs('agent');
});
afterEach(() => h.close());

async function ask(
	message: string,
	opts: { conversationId?: string; serviceId?: string; token?: string } = {}
) {
	const { token, ...rest } = opts;
	const res = await h.request('POST', '/api/assistant/ask', { body: { message, ...rest }, token });
	return {
		status: res.status,
		body: (await res.json()) as AskResult & { error?: { fields?: Record<string, string> } }
	};
}

describe('answers', () => {
	it('answers how to get a business licence with the registration item and its actions', async () => {
		const item = await serviceByCode(h, '370281-XZSP-001');
		const { status, body } = await ask('怎么办理营业执照');
		expect(status).toBe(200);
		expect(body.handoff).toBe(false);
		expect(body.answer?.service?.code).toBe('370281-XZSP-001');
		expect(body.answer!.excerpt.length).toBeGreaterThan(0);
		// a general question about an item gets its guide and its materials
		expect(body.answer!.excerpt).toMatch(/营业执照/);
		expect(body.answer!.excerpt).toMatch(/所需材料/);
		expect(body.answer!.excerpt.length).toBeLessThanOrEqual(241);
		expect(body.actions.map((a) => a.kind)).toEqual(['guide', 'book', 'ticket', 'video']);
		expect(body.actions.find((a) => a.kind === 'book')!.href).toBe(`/services/${item.id}/book`);
		expect(body.alternatives.length).toBeLessThanOrEqual(3);
		expect(body.alternatives.every((a) => a.id !== body.answer!.entryId)).toBe(true);
	});

	it('says it does not know below the threshold, with no item and no actions', async () => {
		for (const q of ['今天天气怎么样', '给我推荐一只股票', '红烧肉怎么做']) {
			const { body } = await ask(q);
			expect(body.answer, q).toBeNull();
			expect(body.handoff, q).toBe(true);
			expect(body.actions, q).toEqual([]);
			expect(body.alternatives, q).toEqual([]);
		}
	});

	it('answers a follow-up about the conversation’s last item', async () => {
		const first = await ask('住房公积金怎么提取');
		const item = first.body.answer?.service;
		expect(item?.code).toBe('370200-GJJ-011');
		const follow = await ask('需要什么材料？', { conversationId: first.body.conversationId });
		expect(follow.body.conversationId).toBe(first.body.conversationId);
		expect(follow.body.answer?.service?.code).toBe('370200-GJJ-011');
		expect(follow.body.answer!.excerpt).toMatch(/材料/);
	});

	it('does not answer an unrelated question from the conversation’s item', async () => {
		const first = await ask('住房公积金怎么提取');
		for (const q of [
			'电脑中毒了怎么办',
			'今天天气怎么样',
			'讲个笑话',
			'电费怎么交',
			'我的快递在哪里'
		]) {
			const { body } = await ask(q, { conversationId: first.body.conversationId });
			expect(body.answer, q).toBeNull();
		}
		const licence = await serviceByCode(h, '370281-XZSP-001');
		for (const q of ['我家猫丢了在哪里找', '我的快递啥时候到'])
			expect((await ask(q, { serviceId: licence.id })).body.answer, q).toBeNull();
	});

	it('changes the subject when a question is answered by something else', async () => {
		const first = await ask('住房公积金怎么提取');
		const { body } = await ask('大厅的办公时间是什么时候', {
			conversationId: first.body.conversationId
		});
		expect(body.answer?.entryId).toBe('faq-hall-01');
		expect(body.answer?.usedContext).toBe(false);
	});

	it('answers from the same knowledge base the evaluation set is built on', async () => {
		const file = fs
			.readFileSync('data/kb/demo-kb.jsonl', 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as { id: string });
		const fresh = (await kbEntries(h.deps.store)).entries; // the hall's own, as seeded
		expect(fresh.map((e) => e.id).sort()).toEqual(file.map((e) => e.id).sort());
		for (const e of file) expect(fresh.find((f) => f.id === e.id)).toEqual(e);
	});

	it('takes the item page as the context of the first question', async () => {
		const item = await serviceByCode(h, '370281-XZSP-001');
		const { body } = await ask('要带啥材料', { serviceId: item.id });
		expect(body.answer?.service?.code).toBe('370281-XZSP-001');
	});

	it('rejects bad input naming the field and writes nothing', async () => {
		const before = await count(h.store, 'assistant_questions');
		const conversations = await count(h.store, 'assistant_conversations');
		expect((await ask('   ')).body.error?.fields?.message).toBe('is required');
		expect((await ask('问'.repeat(201))).body.error?.fields?.message).toMatch(/200/);
		const bad = await ask('营业执照', { serviceId: 'nope' });
		expect(bad.status).toBe(400);
		expect(bad.body.error?.fields?.serviceId).toBeDefined();
		expect(await count(h.store, 'assistant_questions')).toBe(before);
		expect(await count(h.store, 'assistant_conversations')).toBe(conversations);
	});

	it('logs questions with match, confidence and whether answered; masks ID and phone numbers', async () => {
		const { body } = await ask('我的身份证号370281199001011234，手机13912345678，怎么提取公积金');
		const row = (await h.store.get<{
			question: string;
			answered: number;
			confidence: number;
			entry_id: string | null;
			org_unit_id: string | null;
		}>('SELECT * FROM assistant_questions WHERE conversation_id = ?', [body.conversationId]))!;
		expect(row.question).not.toContain('370281199001011234');
		expect(row.question).not.toContain('13912345678');
		expect(row.question).toContain('370*************34');
		expect(row.question).toContain('139******78');
		// full-width digits, spaces and dashes do not get a number past the mask
		for (const [typed, stored] of [
			['身份证１１０１０１１９９００３０７１２３４丢了', '身份证110*************34丢了'],
			['电话138 1234 5678', '电话138******78'],
			['电话138-1234-5678', '电话138******78'],
			['110101 19900307 123X', '110*************3X'],
			['公积金账号 6222 0000 1111 2222 333', '公积金账号 622**************33'],
			['办理时限3个工作日', '办理时限3个工作日'],
			['2026年11月26日', '2026年11月26日']
		])
			expect(redactQuestion(typed), typed).toBe(stored);
		expect(row.answered).toBe(1);
		expect(row.entry_id).toBe(body.answer!.entryId);
		expect(row.confidence).toBeGreaterThan(0);
		const unknown = await ask('讲个笑话');
		const miss = await h.store.get(
			'SELECT answered, entry_id, org_unit_id FROM assistant_questions WHERE conversation_id = ?',
			[unknown.body.conversationId]
		);
		expect(miss).toEqual({ answered: 0, entry_id: null, org_unit_id: null });
	});

	it('keeps a citizen’s conversation to that citizen', async () => {
		const a = await newCitizen(h, '甲');
		const b = await newCitizen(h, '乙');
		const first = await ask('公积金怎么提取', { token: a.token });
		const other = await ask('需要什么材料', {
			conversationId: first.body.conversationId,
			token: b.token
		});
		expect(other.status).toBe(404);
		const anonymous = await ask('需要什么材料', { conversationId: first.body.conversationId });
		expect(anonymous.status).toBe(404);
		const view = await h.request(
			'GET',
			`/api/assistant/conversations/${first.body.conversationId}`,
			{ token: b.token }
		);
		expect(view.status).toBe(404);
	});
});

describe('hand-off', () => {
	it('hands a conversation off once when two requests come at once', async () => {
		// on PostgreSQL the two really run at once (a pool of connections): the conditional
		// setHandoff (or the ticket rule) turns the second away, and its ticket is rolled back
		const citizen = await newCitizen(h, '同时转人工');
		const { body } = await ask('个体户营业执照怎么办', { token: citizen.token });
		const results = await Promise.all(
			[1, 2].map(async () => {
				const res = await h.request(
					'POST',
					`/api/assistant/conversations/${body.conversationId}/handoff`,
					{ token: citizen.token, body: {} }
				);
				return {
					status: res.status,
					ticketId: ((await res.json()) as { ticket?: { id: string } }).ticket?.id
				};
			})
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
		const won = results.find((r) => r.status === 201)!;
		expect(
			await h.store.get('SELECT handoff_ticket_id FROM assistant_conversations WHERE id = ?', [
				body.conversationId
			])
		).toEqual({ handoff_ticket_id: won.ticketId });
		expect(
			await h.store.get('SELECT count(*) AS n FROM tickets WHERE citizen_id = ?', [citizen.id])
		).toEqual({ n: 1 });
	});

	it('gives an anonymous conversation to the first of two citizens who ask in it at once', async () => {
		const a = await newCitizen(h, '甲');
		const b = await newCitizen(h, '乙');
		const { body } = await ask('公积金怎么提取');
		const [fromA, fromB] = await Promise.all([
			ask('需要什么材料', { conversationId: body.conversationId, token: a.token }),
			ask('需要什么材料', { conversationId: body.conversationId, token: b.token })
		]);
		expect([fromA.status, fromB.status].sort()).toEqual([200, 404]);
		const owner = fromA.status === 200 ? a : b;
		expect(
			await h.store.get('SELECT user_id FROM assistant_conversations WHERE id = ?', [
				body.conversationId
			])
		).toEqual({ user_id: owner.id });
		// the loser's question was not logged in someone else's conversation
		expect(await count(h.store, 'assistant_questions')).toBe(2);
	});

	it('takes a video ticket carrying the conversation, which the agent sees; only once', async () => {
		const citizen = await newCitizen(h, '转人工');
		// asked before signing in, then signed in: the conversation comes along
		const first = await ask('个体户营业执照怎么办');
		const conversationId = first.body.conversationId;
		await ask('需要什么材料', { conversationId, token: citizen.token });
		const res = await h.request('POST', `/api/assistant/conversations/${conversationId}/handoff`, {
			token: citizen.token,
			body: {}
		});
		expect(res.status).toBe(201);
		const { ticket } = (await res.json()) as {
			ticket: { id: string; channel: string; serviceName: string; status: string };
		};
		expect(ticket.channel).toBe('video');
		expect(ticket.status).toBe('waiting');
		expect(ticket.serviceName).toBe('个体工商户设立登记');

		const seen = await h.request('GET', `/api/queue/tickets/${ticket.id}/conversation`, {
			token: agent
		});
		expect(seen.status).toBe(200);
		const { conversation } = (await seen.json()) as {
			conversation: { turns: { question: string }[] };
		};
		expect(conversation.turns.map((t) => t.question)).toEqual([
			'个体户营业执照怎么办',
			'需要什么材料'
		]);

		const again = await h.request(
			'POST',
			`/api/assistant/conversations/${conversationId}/handoff`,
			{
				token: citizen.token,
				body: {}
			}
		);
		expect(again.status).toBe(409);
		const mine = await h.request('GET', `/api/assistant/conversations/${conversationId}`, {
			token: citizen.token
		});
		expect(
			((await mine.json()) as { conversation: { handoffTicketId: string } }).conversation
				.handoffTicketId
		).toBe(ticket.id);
		await h.request('POST', `/api/queue/tickets/${ticket.id}/cancel`, { token: citizen.token });
	});

	it('asks for another service when the item is not offered by video', async () => {
		const row = {
			code: '370281-MZJ-098',
			category: 'C',
			name: '殡葬补贴申领',
			departmentCode: 'JZ-MZJ',
			description: '本市户籍居民去世后，亲属可以申领基本殡葬服务补贴。',
			timeLimitDays: 5,
			channels: ['onsite'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			materials: [{ name: '死亡证明' }]
		};
		const imported = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'jsonl', content: JSON.stringify(row) }
		});
		expect(imported.status).toBe(200);
		await kbUpToDate(h.deps.store);
		const citizen = await newCitizen(h, '现场事项');
		const { body } = await ask('殡葬补贴怎么申领', { token: citizen.token });
		expect(body.answer?.service?.code).toBe('370281-MZJ-098');
		expect(body.actions.map((a) => a.kind)).not.toContain('video');
		const res = await h.request(
			'POST',
			`/api/assistant/conversations/${body.conversationId}/handoff`,
			{
				token: citizen.token,
				body: {}
			}
		);
		expect(res.status).toBe(400);
		expect(
			((await res.json()) as { error: { fields: Record<string, string> } }).error.fields.serviceId
		).toMatch(/video/);
		expect(
			await h.store.get('SELECT handoff_ticket_id FROM assistant_conversations WHERE id = ?', [
				body.conversationId
			])
		).toEqual({ handoff_ticket_id: null });
	});

	it('asks which service when the conversation has none, and needs a citizen', async () => {
		const citizen = await newCitizen(h, '未匹配');
		const { body } = await ask('讲个笑话', { token: citizen.token });
		const res = await h.request(
			'POST',
			`/api/assistant/conversations/${body.conversationId}/handoff`,
			{
				token: citizen.token,
				body: {}
			}
		);
		expect(res.status).toBe(400);
		expect(
			((await res.json()) as { error: { fields: Record<string, string> } }).error.fields.serviceId
		).toBeDefined();
		expect(
			(
				await h.request('POST', `/api/assistant/conversations/${body.conversationId}/handoff`, {
					body: {}
				})
			).status
		).toBe(401);
		const staffSees = await h.request('GET', `/api/queue/tickets/nope/conversation`, {
			token: agent
		});
		expect(staffSees.status).toBe(404);
	});
});

describe('knowledge base upkeep', () => {
	const parking = {
		title: '大厅停车场在哪里？电动车停哪？',
		body: '政务服务大厅东侧有免费停车场，电动车停放在北门车棚。',
		tags: ['停车']
	};

	it('answers from a FAQ entry once the index rebuilt after an admin saves it, and forgets it when deleted', async () => {
		const q = '停车场在哪里可以停电动车';
		expect((await ask(q)).body.answer).toBeNull();
		const put = await h.request('PUT', '/api/admin/kb/entries/faq-test-parking', {
			token: admin,
			body: parking
		});
		expect(put.status).toBe(200);
		await kbUpToDate(h.deps.store);
		expect((await ask(q)).body.answer?.entryId).toBe('faq-test-parking');
		const del = await h.request('DELETE', '/api/admin/kb/entries/faq-test-parking', {
			token: admin
		});
		expect(del.status).toBe(204);
		await kbUpToDate(h.deps.store);
		expect((await ask(q)).body.answer).toBeNull();
	});

	it('answers questions during a rebuild from the previous index, without waiting for it', async () => {
		const q = '停车场在哪里可以停电动车';
		const licence = '营业执照怎么办理';
		const known = (await ask(licence)).body.answer?.entryId;
		expect(known).toBeTruthy();
		const before = await liveKb(h.deps.store);
		// the build runs in the background; held, so these questions surely come while it runs
		const release = holdKbRebuilds();
		try {
			const put = await h.request('PUT', '/api/admin/kb/entries/faq-test-parking', {
				token: admin,
				body: parking
			});
			expect(put.status).toBe(200);
			const during = await Promise.all([ask(licence), ask(q), ask(licence)]);
			expect(await liveKb(h.deps.store)).toBe(before);
			expect(during.map((r) => r.status)).toEqual([200, 200, 200]);
			expect(during[0].body.answer?.entryId).toBe(known);
			expect(during[1].body.answer).toBeNull(); // not in the previous index yet
			expect(during[2].body.answer?.entryId).toBe(known);
		} finally {
			release();
		}

		await kbUpToDate(h.deps.store);
		expect(await liveKb(h.deps.store)).not.toBe(before);
		expect((await ask(q)).body.answer?.entryId).toBe('faq-test-parking');
		expect((await ask(licence)).body.answer?.entryId).toBe(known);
	});

	it('rejects an entry for an unknown service code, naming the field', async () => {
		const res = await h.request('PUT', '/api/admin/kb/entries/faq-x', {
			token: admin,
			body: { title: '问题', body: '答案', serviceCode: 'NOPE-1' }
		});
		expect(res.status).toBe(400);
		expect(
			((await res.json()) as { error: { fields: Record<string, string> } }).error.fields.serviceCode
		).toBeDefined();
		const reserved = await h.request('PUT', '/api/admin/kb/entries/service:X', {
			token: admin,
			body: { title: '问题', body: '答案' }
		});
		expect(reserved.status).toBe(400);
	});

	it('imports all-or-nothing, naming bad lines, and re-importing changes nothing', async () => {
		const before = await count(h.store, 'kb_entries');
		const good = JSON.stringify({ id: 'faq-imp-1', title: '导入的问题一', body: '导入的答案一' });
		const bad = [
			good,
			'{not json',
			JSON.stringify({ id: 'faq-imp-2', body: '没有标题' }),
			JSON.stringify({ id: 'faq-imp-3', title: '题', body: '答', serviceCode: 'NOPE-9' })
		].join('\n');
		const res = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: bad }
		});
		expect(res.status).toBe(422);
		const fields = ((await res.json()) as { error: { fields: Record<string, string> } }).error
			.fields;
		expect(Object.keys(fields).map((k) => k.split('.')[0])).toEqual(['line 2', 'line 3', 'line 4']);
		expect(fields['line 4.serviceCode']).toBeDefined();
		expect(await count(h.store, 'kb_entries')).toBe(before);

		const ok = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: good + '\n' }
		});
		expect(await ok.json()).toMatchObject({ applied: true, created: 1, updated: 0, unchanged: 0 });
		const again = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: good }
		});
		expect(await again.json()).toMatchObject({ applied: true, created: 0, unchanged: 1 });
	});

	it('lets admins edit and delete whatever an import may create', async () => {
		const lines = [
			JSON.stringify({
				id: '居住证-1',
				title: '居住证怎么办',
				body: '到社区登记。',
				tags: ['居住证']
			}),
			JSON.stringify({ id: 'faq/2', title: '斜杠', body: '不可以' })
		];
		const bad = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: lines.join('\n') }
		});
		expect(bad.status).toBe(422);
		expect(
			((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields[
				'line 2.id'
			]
		).toBeDefined();
		const ok = await h.request('POST', '/api/admin/kb/import', {
			token: admin,
			body: { content: lines[0] }
		});
		expect(ok.status).toBe(200);
		const path = `/api/admin/kb/entries/${encodeURIComponent('居住证-1')}`;
		const tags = Array.from({ length: 25 }, (_, i) => `标签${i}`);
		const put = await h.request('PUT', path, {
			token: admin,
			body: { title: '居住证怎么办理？', body: '到居住地社区登记。', tags }
		});
		expect(put.status).toBe(200);
		expect(((await put.json()) as { entry: { tags: string[] } }).entry.tags).toHaveLength(25);
		expect((await h.request('DELETE', path, { token: admin })).status).toBe(204);
	});

	it('picks up a new catalog item once the index is rebuilt', async () => {
		const row = {
			code: '370281-MZJ-099',
			category: 'C',
			name: '犬只登记证办理',
			departmentCode: 'JZ-MZJ',
			description: '在城区饲养犬只的，应当办理犬只登记证。',
			timeLimitDays: 5,
			channels: ['video'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			materials: [{ name: '犬只免疫证明' }]
		};
		const res = await h.request('POST', '/api/admin/catalog/import', {
			token: admin,
			body: { format: 'jsonl', content: JSON.stringify(row) }
		});
		expect(res.status).toBe(200);
		await kbUpToDate(h.deps.store);
		expect((await ask('养狗要办什么登记证')).body.answer?.service?.code).toBe('370281-MZJ-099');
	});

	it('serializes two imports of the same new item sent at once: one creates it, the other finds it unchanged', async () => {
		// on PostgreSQL the two requests really run at once (a pool of connections): without the
		// catalog-import lock both would find no item and the second insert would fail (500)
		const row = {
			code: '370281-MZJ-098',
			name: '犬只年检 Dog Licence',
			departmentCode: 'JZ-MZJ',
			description: '犬只登记证每年检验一次。',
			timeLimitDays: 1,
			channels: ['onsite'],
			acceptLevels: ['district'],
			approveLevel: 'district',
			keywords: ['PetCheck'],
			materials: [{ name: '犬只登记证' }]
		};
		const reports = await Promise.all(
			[1, 2].map(async () => {
				const res = await h.request('POST', '/api/admin/catalog/import', {
					token: admin,
					body: { format: 'jsonl', content: JSON.stringify(row) }
				});
				expect(res.status).toBe(200);
				return (await res.json()) as { created: number; unchanged: number };
			})
		);
		expect(reports.map((r) => [r.created, r.unchanged]).sort()).toEqual([
			[0, 1],
			[1, 0]
		]);
		expect(
			await h.store.get('SELECT count(*) AS n FROM service_items WHERE code = ?', [row.code])
		).toEqual({ n: 1 });
		// found by the catalog's search on both engines, case folded (FTS5 trigram or LIKE on
		// SQLite, ILIKE on PostgreSQL), by a 3+ and by a 2-character term
		const search = async (q: string) =>
			(
				(await (await h.request('GET', '/api/services?q=' + encodeURIComponent(q))).json()) as {
					items: { code: string }[];
				}
			).items.map((i) => i.code);
		for (const q of ['dog licence', 'DOG', 'petcheck', '年检', '犬只 年检'])
			expect(await search(q), q).toEqual([row.code]);
	});
});

// a node process loading the server: generous limits for a slow, busy 2-core machine
const SCRIPT_MS = 60_000;

describe('npm run kb:import', { timeout: SCRIPT_MS + 30_000 }, () => {
	const script = path.resolve('scripts/kb-import.ts');
	// the script opens the engine of the run: the harness's PostgreSQL database, or DATA_DIR's file
	const env = () => ({
		...process.env,
		DATA_DIR: h.dir,
		NODE_ENV: 'test',
		...(h.deps.config.databaseUrl ? { DATABASE_URL: h.deps.config.databaseUrl } : {})
	});

	it('rejects a malformed file with line numbers and imports nothing', async () => {
		const file = path.join(h.dir, 'bad.jsonl');
		fs.writeFileSync(
			file,
			[
				JSON.stringify({ id: 'cli-1', title: '一', body: '一' }),
				'{"id": "cli-2", "title": 3}'
			].join('\n')
		);
		const before = await count(h.store, 'kb_entries');
		const err = await run(process.execPath, [script, file], {
			env: env(),
			timeout: SCRIPT_MS
		}).catch((e) => e);
		expect(err.code).toBe(1);
		expect(err.stderr).toContain(`${file}:2:`);
		expect(await count(h.store, 'kb_entries')).toBe(before);
	});

	it('imports a good file', async () => {
		const file = path.join(h.dir, 'good.jsonl');
		fs.writeFileSync(
			file,
			JSON.stringify({ id: 'cli-ok', title: '命令行导入', body: '内容', tags: ['测试'] }) + '\n'
		);
		const { stdout } = await run(process.execPath, [script, file], {
			env: env(),
			timeout: SCRIPT_MS
		});
		expect(stdout).toMatch(/1 created/);
		expect(await h.store.get("SELECT title FROM kb_entries WHERE id = 'cli-ok'")).toEqual({
			title: '命令行导入'
		});
	});
});

describe('the open ask endpoint', () => {
	it('limits questions per address and per account each minute, across the database', async () => {
		const small = await createHarness({ env: { ASSISTANT_PER_MINUTE: '3' } });
		try {
			const askFrom = (ip: string, token?: string) =>
				small.request('POST', '/api/assistant/ask', { body: { message: '公积金' }, ip, token });
			for (let i = 0; i < 3; i++) expect((await askFrom('192.0.2.1')).status).toBe(200);
			const limited = await askFrom('192.0.2.1');
			expect(limited.status).toBe(429);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
			const before = await count(small.store, 'assistant_questions');
			expect(before).toBe(3);
			expect((await askFrom('192.0.2.2')).status).toBe(200);
			// a signed-in citizen is counted by account, not by the shared address
			const citizen = await small.loginAs('citizen');
			expect((await askFrom('192.0.2.1', citizen)).status).toBe(200);
			small.clock.advance(60_000);
			expect((await askFrom('192.0.2.1')).status).toBe(200);
		} finally {
			await small.close();
		}
	});
});

describe('how citizens ask (issue 25 items 1 and 2)', () => {
	it('answers the issue’s questions with the right item and aspect, and a follow-up in one conversation', async () => {
		const LICENCE = '370281-XZSP-001';
		const first = await ask('俺想开个小卖铺，要办啥手续');
		expect(first.body.answer?.service?.code).toBe(LICENCE);
		const follow = await ask('那要带啥东西去', { conversationId: first.body.conversationId });
		expect(follow.body.answer?.service?.code).toBe(LICENCE);
		expect(follow.body.answer?.usedContext).toBe(true);
		expect(follow.body.answer!.excerpt).toMatch(/^所需材料：1\. 经营者身份证明/);

		expect((await ask('我想开个小店')).body.answer?.service?.code).toBe(LICENCE);
		const long = await ask('办营业执照要多久');
		expect(long.body.answer).toMatchObject({ entryId: `service:${LICENCE}` });
		expect(long.body.answer!.excerpt).toBe('办理时限：1个工作日。');
		const shop = await ask('开小卖部要办营业执照吗');
		expect(shop.body.answer).toMatchObject({ entryId: `service:${LICENCE}` });
		expect(shop.body.answer!.excerpt).toMatch(/个体工商户营业执照/);
	});

	it('does not take a question about something else for an aspect of the conversation’s item', async () => {
		const first = await ask('我想开个小店');
		const other = await ask('我的快递在哪里', { conversationId: first.body.conversationId });
		expect(other.body.answer).toBeNull();
	});
});
