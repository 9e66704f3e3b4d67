// Homophone typos. Citizens type with pinyin input methods and pick a wrong character of the
// same sound: 公基金 (积), 营页执照 (业), 社宝 (保), 老年正 (证). Without pinyin data, a small map of
// characters often confused in the hall's vocabulary proposes the intended term; the query
// side (query.ts) keeps only variants the index knows, and only for typed terms it does not.
const GROUPS = [
	'积基机级及急集记计纪绩',
	'业页夜叶也',
	'保宝报饱',
	'证正政症郑',
	'照找兆',
	'执直职植值',
	'医一衣依',
	'疗料',
	'险显现',
	'户护互',
	'籍级集',
	'残惨蚕',
	'疾急集',
	'养样阳',
	'婚昏',
	'休修',
	'营迎赢',
	'提题体',
	'租组族',
	'优忧由邮',
	'待带代贷',
	'登灯等',
	'许须需',
	'可课',
	'核合和',
	'缴交教',
	'费非飞',
	'龄零灵铃',
	'参餐',
	'食实时石',
	'品拼',
	'经精京',
	'证政',
	'卡咖',
	'预遇',
	'约越',
	'号好',
	'频品',
	'年念',
	'社设舍',
	'金今斤',
	'公工功攻',
	'口扣',
	'住注驻'
];

const variants = new Map<string, string[]>();
for (const group of GROUPS)
	for (const c of group) {
		const others = Array.from(group).filter((o) => o !== c);
		variants.set(c, [...new Set([...(variants.get(c) ?? []), ...others])]);
	}

/** Strings that differ from `text` by one homophone character (公基金 → 公积金, 公机金, …). */
export function homophoneVariants(text: string): string[] {
	const chars = Array.from(text);
	const out: string[] = [];
	chars.forEach((c, i) => {
		for (const v of variants.get(c) ?? [])
			out.push(chars.slice(0, i).join('') + v + chars.slice(i + 1).join(''));
	});
	return out;
}
