// Words citizens use for the same thing. Each group is searched as one term: a query for any
// word finds items that mention any other. Extend freely; the assistant uses the same list.
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
	['公积金', '住房公积金'],
	['营业执照', '执照', '工商登记', '个体户'],
	['社保', '社会保险', '养老保险'],
	['医保', '医疗保险', '居民医保'],
	['身份证', '居民身份证'],
	['开店', '开餐馆', '开饭店', '个体工商户', '开餐厅', '开饭馆'],
	['老年证', '优待证', '老年人优待证', '老人证', '老年优待证'],
	['租房', '房租', '租赁'],
	// added with the assistant (智能问答): how citizens name the hall's domain
	['社保卡', '社会保障卡'],
	['户口', '户籍', '户口簿', '户口本'],
	['低保', '最低生活保障'],
	['结婚登记', '结婚证', '领结婚证'],
	['退休', '养老金', '退休金'],
	['残疾证', '残疾人证'],
	['提取', '取钱', '取出来', '提出来', '支取'],
	['食品经营许可', '食品许可', '食品证', '食品许可证'],
	['灵活就业', '自由职业', '打零工', '打短工'],
	['配偶', '老婆', '老公', '爱人', '妻子', '丈夫', '媳妇'],
	['小孩', '孩子', '儿童', '新生儿', '刚出生'],
	['购房', '买房', '买房子'],
	['还贷', '还房贷', '偿还住房贷款', '还贷款'],
	['办公时间', '上班时间', '工作时间', '几点上班', '几点下班'],
	['评价', '打分', '好差评'],
	['投诉', '反映', '不满意'],
	['代办', '委托', '代办人'],
	['取号', '拿号', '排号'],
	['签名', '签字'],
	['录像', '录制', '录音'],
	['过号', '错过叫号'],
	['节假日', '放假', '国庆节', '春节', '法定节假日']
];

const index = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) for (const word of group) index.set(word, group);

/** The word and its synonyms (the word alone when it has none). */
export function expandSynonyms(word: string): string[] {
	return [...new Set([word, ...(index.get(word) ?? [])])];
}
