// Typo tolerance of catalog search (server/catalog/near-match.ts): one edit anywhere in a name.
import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../../server/catalog/near-match.ts';

describe('withinOneEdit (typo tolerance of catalog search)', () => {
	it('finds a stretch one substitution, insertion or deletion away, and no further', () => {
		expect(withinOneEdit('营业执造', '营业执照')).toBe(true);
		expect(withinOneEdit('营业执造', '营业执照复印件')).toBe(true);
		expect(withinOneEdit('个体工商设立', '个体工商户设立登记')).toBe(true);
		expect(withinOneEdit('优待证件办理', '老年人优待证办理')).toBe(true);
		expect(withinOneEdit('营业执照', '营业执照')).toBe(true);
		expect(withinOneEdit('营业证造', '营业执照')).toBe(false);
		expect(withinOneEdit('火星移民签证', '居民身份证')).toBe(false);
	});
});
