// The assistant learns from what it could not answer (issue 25 items 3 and 5): unanswered and
// handed-off questions wait in a queue for admins and supervisors, grouped by their words;
// linked to an entry, a question is answered at once, in every process; a new FAQ can be
// written from one; off-topic questions are told so, kept apart and out of the gaps figure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import type { AskResult } from '../../shared/schemas/assistant.ts';
import type { LearningGroup } from '../../shared/schemas/learning.ts';
import { kbFileEntries, kbUpToDate } from '../../server/assistant/kb.ts';
import { readKb } from '../../server/assistant/retrieval/kbfile.ts';
import { buildIndex } from '../../server/assistant/retrieval/index.ts';
import { formatKbJsonl } from '../../shared/schemas/kb.ts';
import { withSecondNode } from './two-nodes.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness({ env: { ASSISTANT_PER_MINUTE: '1000' } });
});
afterEach(() => h.close());

async function ask(message: string, node: { request: Harness['request'] } = h) {
	const res = await node.request('POST', '/api/assistant/ask', { body: { message } });
	expect(res.status).toBe(200);
	return (await res.json()) as AskResult;
}

async function queue(token: string, view: 'gaps' | 'off_topic' = 'gaps') {
	const res = await h.request('GET', `/api/assistant/learning?view=${view}`, { token });
	expect(res.status).toBe(200);
	return (await res.json()).groups as LearningGroup[];
}

/** A question of the hall's business the demo knowledge base does not cover. */
const GAP = '俺家闺女的出生医学证明丢了咋补办';

describe('why the assistant cannot answer', () => {
	it('tells an off-topic question from the hall’s business it does not know yet', async () => {
		const gap = await ask(GAP);
		expect(gap.answer).toBeNull();
		expect(gap.unanswered).toBe('gap');
		expect(gap.handoff).toBe(true);
		for (const q of ['今天天气怎么样', '红烧肉怎么做好吃', '给我讲个笑话']) {
			const off = await ask(q);
			expect(off.answer, q).toBeNull();
			expect(off.unanswered, q).toBe('off_topic');
		}
		const answered = await ask('怎么办理营业执照');
		expect(answered.unanswered).toBeNull();
	});
});

describe('the learning queue', () => {
	it('groups unanswered questions by their words for admins and supervisors; 401 and 403 to others', async () => {
		await ask(GAP);
		await ask(`${GAP}？`);
		await ask('今天天气怎么样');
		const supervisor = await h.loginAs('supervisor');
		const gaps = await queue(supervisor);
		const group = gaps.find((g) => g.question.startsWith(GAP))!;
		expect(group.count).toBe(2);
		expect(gaps.some((g) => g.question.includes('天气'))).toBe(false);
		expect((await queue(supervisor, 'off_topic')).map((g) => g.question)).toContain(
			'今天天气怎么样'
		);
		expect((await h.request('GET', '/api/assistant/learning')).status).toBe(401);
		const agent = await h.loginAs('agent');
		expect((await h.request('GET', '/api/assistant/learning', { token: agent })).status).toBe(403);
		const citizen = await newCitizen(h);
		const link = await h.request('POST', `/api/assistant/questions/${group.questionId}/link`, {
			token: citizen.token,
			body: { entryId: 'service:370281-XZSP-001' }
		});
		expect(link.status).toBe(403);
	});

	it('a linked question is answered with that entry at once, in every process', async () => {
		const unknown = '俺那个小铺子的照咋整下来';
		const before = await ask(unknown);
		expect(before.answer).toBeNull();
		const admin = await h.loginAs('admin');
		const group = (await queue(admin)).find((g) => g.question === unknown)!;
		await withSecondNode(h, async (second) => {
			// the other node has its index built before the link
			expect((await ask(unknown, second)).answer).toBeNull();
			const linked = await h.request('POST', `/api/assistant/questions/${group.questionId}/link`, {
				token: admin,
				body: { entryId: 'service:370281-XZSP-001' }
			});
			expect(linked.status).toBe(200);
			// the question as asked on both nodes: one group of two
			expect(await linked.json()).toEqual({ entryId: 'service:370281-XZSP-001', linked: 2 });
			await kbUpToDate(h.deps.store);
			expect((await ask(unknown)).answer?.entryId).toBe('service:370281-XZSP-001');
			// the second node sees the version move and rebuilds: answered within seconds
			await expect
				.poll(async () => (await ask(unknown, second)).answer?.entryId ?? null, {
					timeout: 5000,
					interval: 100
				})
				.toBe('service:370281-XZSP-001');
		});
		// kb:export writes it as the entry's paraphrase, and kb:eval's index finds the entry by it
		const file = formatKbJsonl(await kbFileEntries(h.deps.store));
		const entries = readKb('export.jsonl', file);
		expect(entries.find((e) => e.id === 'service:370281-XZSP-001')!.tags).toContain(unknown);
		expect(buildIndex(entries).search(unknown)[0].id).toBe('service:370281-XZSP-001');
		// gone from the queue; a second link of the same question is refused
		expect((await queue(admin)).some((g) => g.question === unknown)).toBe(false);
		const again = await h.request('POST', `/api/assistant/questions/${group.questionId}/link`, {
			token: admin,
			body: { entryId: 'service:370281-XZSP-001' }
		});
		expect(again.status).toBe(409);
		const bad = await h.request('POST', `/api/assistant/questions/${group.questionId}/link`, {
			token: admin,
			body: { entryId: 'no-such-entry' }
		});
		expect(bad.status).toBe(400);
	});

	it('writes a new FAQ from a question, which then answers it', async () => {
		await ask(GAP);
		const supervisor = await h.loginAs('supervisor');
		const group = (await queue(supervisor)).find((g) => g.question === GAP)!;
		const bad = await h.request('POST', `/api/assistant/questions/${group.questionId}/faq`, {
			token: supervisor,
			body: { title: '', body: '…' }
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.fields).toHaveProperty('title');
		const written = await h.request('POST', `/api/assistant/questions/${group.questionId}/faq`, {
			token: supervisor,
			body: {
				title: '出生医学证明遗失了怎么补办？',
				body: '出生医学证明遗失的，由监护人持身份证和户口簿到出具证明的医院申请补发，本大厅不办理。',
				tags: ['出生医学证明', '补办']
			}
		});
		expect(written.status).toBe(201);
		const { entryId } = await written.json();
		await kbUpToDate(h.deps.store);
		expect((await ask(GAP)).answer?.entryId).toBe(entryId);
	});

	it('off-topic questions marked so stay out of the gaps figure', async () => {
		await ask(GAP);
		await ask('今天天气怎么样');
		// asked in the hall's words but not its business: staff mark it off topic
		await ask('帮我办理一张健身卡');
		const admin = await h.loginAs('admin');
		const gym = (await queue(admin)).find((g) => g.question === '帮我办理一张健身卡');
		expect(gym, 'looks like the hall’s business (办理) until staff say otherwise').toBeDefined();
		const marked = await h.request(
			'POST',
			`/api/assistant/questions/${gym!.questionId}/off-topic`,
			{
				token: admin
			}
		);
		expect(marked.status).toBe(200);
		const supervisor = await h.loginAs('supervisor');
		const day = new Date(h.clock.now).toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });
		const res = await h.request('GET', `/api/stats/history?from=${day}&to=${day}`, {
			token: supervisor
		});
		const body = await res.json();
		const today = body.assistant.find((r: { day: string }) => r.day === day);
		expect(today).toMatchObject({ questions: 3, answered: 0, unanswered: 1, offTopic: 2 });
		expect(body.topUnanswered.map((r: { question: string }) => r.question)).toEqual([GAP]);
	});
});
