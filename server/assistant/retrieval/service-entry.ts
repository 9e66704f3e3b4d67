// A service item of the catalog as a knowledge-base entry, so the assistant answers "营业执照要带啥"
// from the same guide the item page shows. The live KB calls this for every catalog row.
import type { KbEntry } from './types.ts';

/** What the KB needs of a service item (a subset of the catalog's item; fields as stored). */
export interface ServiceKbInput {
	/** catalog code, e.g. "370281-XZSP-001"; the entry's id is `service:<code>` */
	code: string;
	name: string;
	/** the English name, for questions asked in English (issue 25 item 4); none: Chinese only */
	nameEn?: string | null;
	/** the guide (办事指南) */
	description: string;
	keywords: readonly string[];
	/** in checklist order; `required: false` is shown as （非必需） */
	materials: readonly { name: string; description?: string | null; required?: boolean }[];
	/** fee in fen (1/100 yuan); 0 = free */
	feeFen: number;
	/** promised time limit in working days; 0 = on the spot */
	timeLimitDays: number;
	departmentName?: string | null;
	departmentNameEn?: string | null;
	/** 'video' | 'onsite' */
	channels?: readonly string[];
}

const CHANNEL_NAMES: Record<string, string> = { video: '视频办理', onsite: '现场办理' };

/** 0 → 免费, 1050 → 10.5元 */
export function feeText(feeFen: number): string {
	if (feeFen <= 0) return '免费';
	const yuan = (feeFen / 100).toFixed(2).replace(/\.?0+$/, '');
	return `${yuan}元`;
}

function sentence(s: string): string {
	const t = s.trim();
	return t === '' || /[。！？.!?]$/.test(t) ? t : `${t}。`;
}

const CHANNEL_NAMES_EN: Record<string, string> = { video: 'by video', onsite: 'on site' };

/** 0 → free, 1050 → 10.5 yuan */
function feeTextEn(feeFen: number): string {
	return feeFen <= 0 ? 'free' : `${feeText(feeFen).replace('元', '')} yuan`;
}

/**
 * The item in English, on one line: its English name and its key fields in English words, e.g.
 * "Individual Business Registration (business licence). Time limit: 1 working day. Fee: free.
 * Department: Jiaozhou Administrative Approval Service Bureau. Materials: 1. 经营者身份证明
 * (居民身份证原件); … Ways to apply: by video, on site." Material names stay as the catalog has
 * them (Chinese). null for an item without an English name.
 */
export function englishText(item: ServiceKbInput): string | null {
	const name = item.nameEn?.trim();
	if (!name) return null;
	const days = item.timeLimitDays;
	const parts = [
		`${name}.`,
		`Time limit: ${days > 0 ? `${days} working ${days === 1 ? 'day' : 'days'}` : 'on the spot'}.`,
		`Fee: ${feeTextEn(item.feeFen)}.`
	];
	const department = item.departmentNameEn?.trim() || item.departmentName?.trim();
	if (department) parts.push(`Department: ${department}.`);
	if (item.materials.length) {
		const list = item.materials.map((m, i) => {
			const detail = m.description?.trim() ? ` (${m.description.trim()})` : '';
			const optional = m.required === false ? ' (optional)' : '';
			return `${i + 1}. ${m.name.trim()}${detail}${optional}`;
		});
		parts.push(`Materials: ${list.join('; ')}.`);
	}
	if (item.channels?.length)
		parts.push(`Ways to apply: ${item.channels.map((c) => CHANNEL_NAMES_EN[c] ?? c).join(', ')}.`);
	return parts.join(' ');
}

export function serviceKbId(code: string): string {
	return `service:${code}`;
}

/**
 * The entry of one service item. Body lines: guide, materials, time limit and fee, department,
 * channels (and `en`, the item in English, when it has an English name); e.g. "所需材料：1. 经营者身份证明（居民身份证原件）；2. 经营场所使用证明（…）。"
 */
export function serviceToKbEntry(item: ServiceKbInput): KbEntry {
	const lines: string[] = [];
	if (item.description.trim()) lines.push(sentence(item.description));
	if (item.materials.length) {
		const list = item.materials.map((m, i) => {
			const detail = m.description?.trim() ? `（${m.description.trim()}）` : '';
			const optional = m.required === false ? '（非必需）' : '';
			return `${i + 1}. ${m.name.trim()}${detail}${optional}`;
		});
		lines.push(`所需材料：${list.join('；')}。`);
	}
	const limit = item.timeLimitDays > 0 ? `${item.timeLimitDays}个工作日` : '当场办结';
	lines.push(`办理时限：${limit}。收费：${feeText(item.feeFen)}。`);
	if (item.departmentName?.trim()) lines.push(`办理部门：${item.departmentName.trim()}。`);
	if (item.channels?.length)
		lines.push(`办理方式：${item.channels.map((c) => CHANNEL_NAMES[c] ?? c).join('、')}。`);
	// English keywords are the English text's, so the Chinese fields stay as they were
	const isLatin = (k: string) => /[a-z]/i.test(k) && !/\p{Script=Han}/u.test(k);
	const tags = [...new Set(item.keywords.map((k) => k.trim()).filter((k) => k && !isLatin(k)))];
	const english = englishText(item);
	const tagsEn = [...new Set(item.keywords.map((k) => k.trim()).filter(isLatin))];
	return {
		id: serviceKbId(item.code),
		title: item.name.trim(),
		body: lines.join('\n'),
		...(tags.length ? { tags } : {}),
		serviceCode: item.code,
		...(english
			? {
					en: {
						title: item.nameEn!.trim(),
						text: english,
						...(tagsEn.length ? { tags: tagsEn } : {})
					}
				}
			: {})
	};
}
