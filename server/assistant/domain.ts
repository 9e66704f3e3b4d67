// Why the assistant could not answer (issue 25 item 5): a question about the hall's business
// that the knowledge base lacks (a gap: "I don't have that yet, a person can help") or one
// that is not the hall's business at all (off topic: "this is not something the hall handles").
// Only gaps are knowledge-base gaps on the dashboard and in the learning queue's main list.
//
// A question is the hall's business when it names something government services are about
// (a certificate, a registration, social insurance …) or touches the knowledge base more than
// in passing. The vocabulary is of government services in general, not of this hall's entries:
// a question about a passport is a gap here even though no entry mentions passports.
import { normalizeText } from './retrieval/index.ts';

const GOVERNMENT_TERMS = [
	// doing business with a government office
	'办理',
	'手续',
	'申请',
	'申报',
	'登记',
	'备案',
	'审批',
	'许可',
	'证明',
	'材料',
	'补办',
	'换证',
	'年检',
	'窗口',
	'大厅',
	'政务',
	'政府',
	'街道',
	'社区',
	'居委会',
	'村委会',
	'派出所',
	'民政',
	'人社',
	'税务',
	'市场监管',
	'公安',
	'窗口',
	'预约',
	'取号',
	'排队',
	'办事',
	'办证',
	'盖章',
	'公章',
	// documents and statuses
	'证',
	'照',
	'户口',
	'户籍',
	'身份证',
	'居住证',
	'护照',
	'签证',
	'港澳',
	'通行证',
	'驾照',
	'驾驶证',
	'行驶证',
	'车牌',
	'结婚',
	'离婚',
	'出生',
	'准生',
	'生育',
	'死亡',
	'殡葬',
	'收养',
	'监护',
	'学籍',
	'入学',
	'转学',
	'兵役',
	'退役',
	'残疾',
	'低保',
	'特困',
	'救助',
	'补贴',
	'补助',
	'津贴',
	// insurance, pensions, housing, tax, business
	'社保',
	'社会保险',
	'医保',
	'医疗保险',
	'养老',
	'退休',
	'失业',
	'工伤',
	'公积金',
	'住房',
	'房产',
	'不动产',
	'产权',
	'租房',
	'拆迁',
	'税',
	'发票',
	'营业执照',
	'执照',
	'个体',
	'公司',
	'企业',
	'注册',
	'注销',
	'变更',
	'经营',
	'食品',
	'卫生',
	'消防',
	'环保',
	'营业',
	'开店',
	'开业',
	'摆摊',
	'卖酒',
	'老年',
	'优待',
	'敬老',
	'高龄',
	'优抚',
	'就业',
	'招聘',
	'培训',
	'职称',
	'资格',
	'档案',
	'公证',
	'认证',
	'鉴定',
	'罚款',
	'违章',
	'处罚',
	'投诉',
	'举报',
	'信访'
];
/** Latin words of the same business, for questions asked in English. */
const GOVERNMENT_WORDS_EN =
	/\b(licen[cs]e|permit|registration|register|certificate|passport|visa|id card|identity|insurance|pension|retire|housing fund|provident|tax|business|apply|application|document|government|hall|appointment|queue|marriage|birth|hukou|residence)\b/;

/** A top match this confident touches the knowledge base more than in passing. */
const TOUCHES_KB = 0.2;

export type Unanswered = 'off_topic' | 'gap';

export function classifyUnanswered(question: string, topConfidence: number): Unanswered {
	const q = normalizeText(question);
	if (topConfidence >= TOUCHES_KB) return 'gap';
	if (GOVERNMENT_TERMS.some((t) => q.includes(t))) return 'gap';
	if (GOVERNMENT_WORDS_EN.test(q)) return 'gap';
	return 'off_topic';
}
