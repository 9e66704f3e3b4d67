// The colloquial lexicon (shared/lexicon.ts), shared by the assistant and catalog search.
import { describe, expect, it } from 'vitest';
import {
	COLLOQUIAL_WORDS,
	FILLER_WORDS,
	WHOLE_WORDS,
	normalizeColloquial
} from '../../shared/lexicon.ts';

describe('normalizeColloquial', () => {
	it('says the questions of issue 25 the catalog’s way', () => {
		expect(normalizeColloquial('俺想开个小卖铺，要办啥手续')).toBe('我 个体工商户 ,');
		expect(normalizeColloquial('那要带啥东西去')).toBe('那 带 什么 东西去');
		expect(normalizeColloquial('我想开个小店')).toBe('个体工商户');
		expect(normalizeColloquial('办营业执照要多久')).toBe('营业执照 多久');
		expect(normalizeColloquial('开小卖部要办营业执照吗')).toBe('个体工商户 营业执照');
		expect(normalizeColloquial('办执照')).toBe('营业执照');
		expect(normalizeColloquial('咋办社保')).toBe('社会保险');
		expect(normalizeColloquial('开一家饭馆')).toBe('开一家 餐饮');
	});

	it('leaves a word already in the catalog’s form alone, and whole words whole', () => {
		expect(normalizeColloquial('营业执照')).toBe('营业执照');
		expect(normalizeColloquial('社保卡')).toBe('社保卡');
		expect(normalizeColloquial('办公时间')).toBe('办公时间');
		expect(normalizeColloquial('需要什么材料')).toBe('需要什么材料');
		expect(normalizeColloquial('开饭店')).toBe('开饭店');
		expect(normalizeColloquial('承办单位')).toBe('承办单位');
	});

	it('folds width (NFKC) and leaves text without colloquial words as it was', () => {
		expect(normalizeColloquial('ＡＢＣ 公积金提取')).toBe('ABC 公积金提取');
		expect(normalizeColloquial('')).toBe('');
		expect(normalizeColloquial('咋办')).toBe('');
	});

	it('has no word in two lists, and no replacement that a filler would undo', () => {
		const lists = [Object.keys(COLLOQUIAL_WORDS), FILLER_WORDS, WHOLE_WORDS];
		const all = lists.flat();
		expect(new Set(all).size).toBe(all.length);
		// a replacement is stable: normalising it again changes nothing
		for (const to of new Set(Object.values(COLLOQUIAL_WORDS)))
			expect(normalizeColloquial(to), to).toBe(to);
	});
});
