// The jieba user dictionary (segment.ts): government words its general dictionary cuts apart or
// does not know, so they stay one word in the hall's texts and in citizens' questions. The
// catalog's own item names, keywords and department names are added from the index's entries
// at build time (serviceWords), so a hall's catalog needs no list here.
import type { KbEntry } from './types.ts';

export const GOV_TERMS: readonly string[] = [
	'个体工商户',
	'个体户',
	'营业执照',
	'工商登记',
	'设立登记',
	'参保登记',
	'食品经营许可',
	'食品经营许可证',
	'经营许可证',
	'经营场所',
	'灵活就业',
	'灵活就业人员',
	'社会保险',
	'社会保障卡',
	'社保卡',
	'养老保险',
	'医疗保险',
	'居民医保',
	'职工医保',
	'城乡居民',
	'老年人优待证',
	'优待证',
	'老年证',
	'住房公积金',
	'公积金',
	'租房提取',
	'一件事一次办',
	'行政审批',
	'行政审批服务局',
	'办理时限',
	'所需材料',
	'办理部门',
	'办理方式',
	'视频办理',
	'现场办理',
	'工作日',
	'当场办结',
	'受理回执',
	'电子证照',
	'电子签名',
	'补正',
	'代办人',
	'身份证明',
	'居民身份证',
	'户口簿',
	'一类银行卡',
	'便民服务',
	'酒类商品',
	'零售经营',
	'备案'
];

/** Item names, their keywords and their departments (办理部门：…) of the entries of service items. */
export function serviceWords(entries: readonly KbEntry[]): string[] {
	const words = new Set<string>();
	for (const e of entries) {
		if (!e.serviceCode || e.id !== `service:${e.serviceCode}`) continue;
		words.add(e.title.replace(/[（(].*$/, '').trim());
		for (const t of e.tags ?? []) words.add(t);
		const dept = /办理部门：([^。\n]+)/.exec(e.body)?.[1];
		if (dept) words.add(dept.trim());
	}
	return [...words].filter((w) => /^\p{Script=Han}{2,}$/u.test(w));
}
