// The demo's life event (一件事一次办, issue 24): 我要开餐馆. Its theme item, the items it spans
// that the rest of the demo does not have forms for, their forms, and the definition an admin
// would publish. Fictional, like the rest of the demo hall.
import type { TemplateDefinition } from '../../shared/forms/template.ts';
import type { LifeEventDefinitionInput } from '../../shared/schemas/life-events.ts';

export const THEME_CODE = '370281-YJS-001';
export const LICENCE_CODE = '370281-XZSP-001';
export const FOOD_CODE = '370281-XZSP-014';
export const PENSION_CODE = '370281-RSJ-003';
export const ALCOHOL_CODE = '370281-SWJ-005';

export const lifeEventDepartments = [
	{ code: 'JZ-SWJ', orgUnit: '370281', name: '胶州市商务局', nameEn: 'Jiaozhou Commerce Bureau' }
];

/** Catalog import rows: the theme item (its 牵头部门 and 承诺时限) and the alcohol filing. */
export const lifeEventItems: Record<string, unknown>[] = [
	{
		code: THEME_CODE,
		category: 'A',
		keywords: ['开餐馆', '开饭店', '餐饮', '一件事', '一件事一次办', 'open a restaurant'],
		name: '我要开餐馆（一件事一次办）',
		nameEn: 'Opening a Restaurant (one application)',
		departmentCode: 'JZ-XZSP',
		description:
			'开办餐饮店一件事：个体工商户营业执照、食品经营许可、灵活就业参保登记（卖酒的加酒类经营备案）一张表申请、材料只交一次、各部门并联办理、一次出件。',
		feeFen: 0,
		timeLimitDays: 5,
		channels: ['video', 'onsite'],
		acceptLevels: ['district', 'township'],
		approveLevel: 'district'
	},
	{
		code: ALCOHOL_CODE,
		category: 'A',
		keywords: ['卖酒', '酒类', '酒水', 'sell alcohol', 'liquor'],
		bundles: ['KBCY'],
		name: '酒类商品零售经营备案',
		nameEn: 'Liquor Retail Filing',
		departmentCode: 'JZ-SWJ',
		description: '零售瓶装酒或在店内供应酒水的经营者，办理酒类商品零售经营备案。',
		feeFen: 0,
		timeLimitDays: 3,
		channels: ['video', 'onsite'],
		acceptLevels: ['district'],
		approveLevel: 'district',
		materials: [
			{ name: '经营者身份证明', description: '居民身份证原件', key: true },
			{ name: '营业执照复印件' }
		]
	}
];

const field = (f: Partial<TemplateDefinition['sections'][number]['fields'][number]>) => ({
	guide: '',
	example: '',
	required: true,
	options: [],
	rules: {},
	sensitive: false,
	...f
});

const identity = {
	id: 'applicant',
	title: '申请人信息',
	fields: [
		field({ key: 'name', kind: 'text', label: '姓名', rules: { maxLength: 30 } }),
		field({
			key: 'idNumber',
			kind: 'id_number',
			label: '居民身份证号码',
			sensitive: true,
			guide: '18 位，最后一位可能是 X。'
		}),
		field({ key: 'phone', kind: 'phone', label: '联系电话' })
	]
} as TemplateDefinition['sections'][number];

const shop = [
	field({
		key: 'shopName',
		kind: 'text',
		label: '个体工商户名称',
		required: false,
		rules: { maxLength: 50 }
	}),
	field({
		key: 'address',
		kind: 'address',
		label: '经营场所',
		guide: '写到门牌号，与房产证明或租赁合同一致。',
		rules: { maxLength: 100 }
	})
] as TemplateDefinition['sections'][number]['fields'];

const licenceNo = field({
	key: 'licenceNo',
	kind: 'credit_code',
	label: '营业执照统一社会信用代码',
	guide: '18 位，见营业执照。'
});

export const lifeEventForms: Record<string, TemplateDefinition> = {
	[FOOD_CODE]: {
		title: '食品经营许可申请书',
		sections: [
			identity,
			{
				id: 'food',
				title: '经营信息',
				fields: [
					...shop,
					licenceNo,
					field({
						key: 'foodKinds',
						kind: 'checkbox',
						label: '经营项目',
						guide: '可以多选。',
						options: [
							{ value: 'hot', label: '热食类食品制售' },
							{ value: 'cold', label: '冷食类食品制售' },
							{ value: 'drinks', label: '自制饮品制售' },
							{ value: 'packaged', label: '预包装食品销售' }
						]
					}),
					field({
						key: 'area',
						kind: 'number',
						label: '经营场所面积（平方米）',
						rules: { min: 1, max: 100000 }
					}),
					field({
						key: 'safetyManager',
						kind: 'text',
						label: '食品安全管理人员',
						guide: '店里负责食品安全的人的姓名。',
						rules: { maxLength: 30 }
					})
				]
			}
		]
	} as TemplateDefinition,
	[PENSION_CODE]: {
		title: '灵活就业人员参保登记表',
		sections: [
			identity,
			{
				id: 'insurance',
				title: '参保信息',
				fields: [
					field({
						key: 'grade',
						kind: 'select',
						label: '缴费档次',
						guide: '按上年度全省就业人员平均工资的百分比缴纳，档次越高，将来领得越多。',
						options: [
							{ value: '60', label: '60%' },
							{ value: '80', label: '80%' },
							{ value: '100', label: '100%' }
						]
					}),
					field({
						key: 'bankCard',
						kind: 'text',
						label: '扣款银行卡号',
						required: false,
						rules: { pattern: '^\\d{12,19}$', patternMessage: '银行卡号为 12 到 19 位数字' }
					})
				]
			}
		]
	} as TemplateDefinition,
	[ALCOHOL_CODE]: {
		title: '酒类商品零售经营备案表',
		sections: [
			identity,
			{
				id: 'alcohol',
				title: '备案信息',
				fields: [
					...shop,
					licenceNo,
					field({
						key: 'liquorKinds',
						kind: 'checkbox',
						label: '经营酒类',
						options: [
							{ value: 'beer', label: '啤酒' },
							{ value: 'baijiu', label: '白酒' },
							{ value: 'wine', label: '葡萄酒' }
						]
					})
				]
			}
		]
	} as TemplateDefinition
};

/** The definition, with item codes where the published one has item ids. */
export const restaurantLifeEvent = (id: (code: string) => string): LifeEventDefinitionInput => ({
	title: '我要开餐馆（一件事一次办）申请表',
	questionsTitle: '先选一选要办的事项',
	sharedTitle: '共用信息（只填一次，各事项通用）',
	questions: [
		{
			key: 'sellsAlcohol',
			label: '需要卖酒吗？',
			guide: '只卖饭菜和饮料的选“不需要”；零售瓶装酒或店内供应酒水的选“需要”，会加办酒类经营备案。',
			options: [
				{ value: 'no', label: '不需要' },
				{ value: 'yes', label: '需要' }
			]
		}
	],
	parts: [
		{ itemId: id(LICENCE_CODE), formMaterial: '个体工商户登记（备案）申请书' },
		{
			itemId: id(FOOD_CODE),
			waitsFor: { itemId: id(LICENCE_CODE), fill: 'licenceNo', material: '营业执照复印件' },
			formMaterial: '食品经营许可申请书'
		},
		{ itemId: id(PENSION_CODE) },
		{
			itemId: id(ALCOHOL_CODE),
			when: { question: 'sellsAlcohol', in: ['yes'] },
			waitsFor: { itemId: id(LICENCE_CODE), fill: 'licenceNo', material: '营业执照复印件' }
		}
	],
	sharedMaterials: [
		{
			name: '居民身份证',
			sources: [
				{ itemId: id(LICENCE_CODE), name: '经营者身份证明' },
				{ itemId: id(PENSION_CODE), name: '居民身份证' },
				{ itemId: id(ALCOHOL_CODE), name: '经营者身份证明' }
			]
		}
	],
	delivery: 'electronic'
});
