// Issue 25 items 1 and 2 on the demo knowledge base: the colloquial lexicon on questions, the
// segmenters, aspect routing, and the five questions of the issue.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildIndex, type KbEntry } from '../../server/assistant/retrieval/index.ts';
import { readKb } from '../../server/assistant/retrieval/kbfile.ts';
import { askedAspect, aspectLine, withAspects } from '../../server/assistant/retrieval/aspects.ts';
import { segmentWords, segmenterName } from '../../server/assistant/retrieval/segment.ts';
import { serviceWords } from '../../server/assistant/retrieval/gov-terms.ts';
import { aspectAnswer, asksOnlyAspect } from '../../server/assistant/aspects.ts';
import { answerText } from '../../server/assistant/assistant.ts';
import { normalizeColloquial, normalizeColloquialQuestion } from '../../shared/lexicon.ts';

const demoKb = readKb(
	'demo-kb.jsonl',
	fs.readFileSync(new URL('../../data/kb/demo-kb.jsonl', import.meta.url), 'utf8')
);
const index = buildIndex(demoKb);
const LICENCE = 'service:370281-XZSP-001';
const licence = demoKb.find((e) => e.id === LICENCE)!;

describe('the colloquial lexicon on questions', () => {
	it('puts the catalog’s words in and keeps the asking words', () => {
		expect(normalizeColloquialQuestion('俺想开个小卖铺，要办啥手续')).toBe(
			'我想个体工商户,要办什么手续'
		);
		expect(normalizeColloquialQuestion('我想开个小店')).toBe('我想个体工商户');
		expect(normalizeColloquialQuestion('那要带啥东西去')).toBe('那要带什么东西去');
		expect(normalizeColloquialQuestion('咋办执照')).toBe('怎么营业执照');
		// whole words stay whole; catalog search keeps its own rewriting (fillers dropped)
		expect(normalizeColloquialQuestion('社保卡要钱吗')).toBe('社保卡要钱吗');
		expect(normalizeColloquial('俺想开个小卖铺，要办啥手续')).toBe('我 个体工商户 ,');
	});

	it('finds the item for a shop said the way people say it', () => {
		for (const q of ['俺想开个小卖铺，要办啥手续', '我想开个小店', '咱开个小卖部咋整'])
			expect(index.search(q)[0].id, q).toBe(LICENCE);
	});
});

describe('segmentation', () => {
	it('uses Intl.Segmenter, which measured better than jieba (data/kb/README.md)', () => {
		expect(segmenterName()).toBe('intl');
		const words = [...segmentWords('灵活就业人员参保登记')]
			.filter((s) => s.isWordLike)
			.map((s) => s.segment);
		expect(words.join('')).toBe('灵活就业人员参保登记');
		expect(words.length).toBeGreaterThan(1);
	});

	it('gives jieba’s user dictionary the catalog’s item names, keywords and departments', () => {
		const words = serviceWords(demoKb);
		expect(words).toContain('个体工商户设立登记');
		expect(words).toContain('住房公积金提取'); // （租房） cut off
		expect(words).toContain('胶州市行政审批服务局');
		expect(words).toContain('营业执照');
		expect(words.every((w) => /^\p{Script=Han}{2,}$/u.test(w))).toBe(true);
	});
});

describe('aspects', () => {
	it('reads the aspect a question asks', () => {
		const cases: [string, string | undefined][] = [
			['办营业执照要多久', 'time_limit'],
			['老年证几天能拿到', 'time_limit'],
			['居民医保登记收钱吗', 'fee'],
			['要钱不', 'fee'],
			['那要带啥东西去', 'materials'],
			['拿户口本能办医保不', 'materials'],
			['卖酒的备案在哪个局办', 'place'],
			['老年证能在家用手机视频办吗', 'online'],
			['五十八岁能办老年证吗', 'conditions'],
			['开小卖部要办营业执照吗', 'conditions'],
			['公积金怎么提取', undefined],
			['俺想开个小卖铺，要办啥手续', undefined]
		];
		for (const [q, aspect] of cases) expect(askedAspect(q), q).toBe(aspect);
	});

	it('takes the line of the field from an item’s entry', () => {
		expect(aspectLine(licence, 'time_limit')).toBe('办理时限：1个工作日。');
		expect(aspectLine(licence, 'fee')).toBe('收费：免费。');
		expect(aspectLine(licence, 'materials')).toMatch(/^所需材料：1\. 经营者身份证明/);
		expect(aspectLine(licence, 'place')).toBe(
			'办理部门：胶州市行政审批服务局。办理方式：视频办理、现场办理。'
		);
		expect(aspectLine(licence, 'online')).toBe('办理方式：视频办理、现场办理。');
		expect(aspectLine(licence, 'conditions')).toMatch(/^在本市从事个体经营的公民/);
		const bundle = demoKb.find((e) => e.id === 'service:370281-YJS-001')!;
		expect(aspectLine(bundle, 'materials')).toBeUndefined();
	});

	it('answers an aspect from the item even when one of its FAQs shares more words', () => {
		const [best] = index.search('办营业执照要多久');
		expect(best).toMatchObject({ id: LICENCE, aspect: 'time_limit' });
		expect(answerText(licence, '办营业执照要多久')).toBe('办理时限：1个工作日。');
		const [shop] = index.search('开小卖部要办营业执照吗');
		expect(shop.id).toBe(LICENCE);
	});

	it('leaves the answer to an FAQ about the question’s own case or to one of no item', () => {
		// 门面 and 租 are the FAQ's, not the item's
		expect(index.search('门面是租的，营业执照能办不')[0].id).toBe('faq-yyzz-01');
		expect(index.search('在云上大厅办事收费吗')[0].id).toBe('faq-hall-03');
	});

	it('routes by the item of the best entry only, on a hand-made index', () => {
		const e = (id: string, title: string, body: string, serviceCode?: string): KbEntry => ({
			id,
			title,
			body,
			...(serviceCode ? { serviceCode } : {})
		});
		const small = withAspects(
			buildIndex([
				e('service:A', '甲证办理', '甲证的说明。\n办理时限：3个工作日。收费：免费。', 'A'),
				e('faq-a', '甲证丢了能补吗？甲证甲证', '可以补办。', 'A'),
				e('faq-x', '甲证的照片', '照片要求。')
			])
		);
		expect(small.search('甲证要多久')[0]).toMatchObject({ id: 'service:A', aspect: 'time_limit' });
		expect(small.search('甲证丢了能补吗')[0].aspect).toBeUndefined();
	});

	it('shows the field only for the item’s own entry, and knows a question asking only an aspect', () => {
		const faq = demoKb.find((x) => x.id === 'faq-yyzz-01')!;
		expect(aspectAnswer(faq, '要多久')).toBeUndefined();
		expect(aspectAnswer(licence, '公积金怎么提取')).toBeUndefined();
		expect(asksOnlyAspect('那要带啥东西去')).toBe(true);
		expect(asksOnlyAspect('在哪办')).toBe(true);
		expect(asksOnlyAspect('我的快递在哪里')).toBe(false);
		expect(asksOnlyAspect('公积金怎么提取')).toBe(false);
	});
});
