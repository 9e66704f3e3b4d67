// Demo form templates (智能表单), one per item that has an online application in the demo hall.
import type { TemplateDefinition } from '../../shared/forms/template.ts';

const identity = {
	id: 'applicant',
	title: '申请人信息',
	fields: [
		{
			key: 'name',
			kind: 'text',
			label: '姓名',
			required: true,
			guide: '与身份证上的姓名一致。',
			example: '王秀兰',
			rules: { maxLength: 30 }
		},
		{
			key: 'idNumber',
			kind: 'id_number',
			label: '居民身份证号码',
			required: true,
			sensitive: true,
			guide: '18 位，最后一位可能是 X。',
			example: '11010519491231002X'
		},
		{
			key: 'phone',
			kind: 'phone',
			label: '联系电话',
			required: true,
			guide: '用于接收办理结果短信。',
			example: '13800000001'
		}
	]
} as const;

export const demoFormTemplates: Record<string, TemplateDefinition> = {
	'370281-XZSP-001': {
		title: '个体工商户设立登记申请表',
		sections: [
			identity as unknown as TemplateDefinition['sections'][number],
			{
				id: 'business',
				title: '经营信息',
				fields: [
					{
						key: 'shopName',
						kind: 'text',
						label: '个体工商户名称',
						required: false,
						guide: '可以不起字号名称；起名时一般为“行政区划+字号+行业+组织形式”。',
						example: '胶州市秀兰便民超市',
						options: [],
						rules: { maxLength: 50 },
						sensitive: false
					},
					{
						key: 'address',
						kind: 'address',
						label: '经营场所',
						required: true,
						guide: '写到门牌号，与房产证明或租赁合同一致。',
						example: '胶州市阜安街道郑州路 88 号',
						options: [],
						rules: { maxLength: 100 },
						sensitive: false
					},
					{
						key: 'scope',
						kind: 'textarea',
						label: '经营范围',
						required: true,
						guide: '写清楚卖什么、做什么，可以请工作人员帮您规范表述。',
						example: '日用百货零售；预包装食品销售',
						options: [],
						rules: { maxLength: 300 },
						sensitive: false
					},
					{
						key: 'form',
						kind: 'radio',
						label: '组成形式',
						required: true,
						guide: '一个人经营选“个人经营”，家庭成员共同经营选“家庭经营”。',
						example: '',
						options: [
							{ value: 'person', label: '个人经营' },
							{ value: 'family', label: '家庭经营' }
						],
						rules: {},
						sensitive: false
					},
					{
						key: 'members',
						kind: 'textarea',
						label: '参加经营的家庭成员',
						required: true,
						guide: '写出姓名和与您的关系。',
						example: '李强（配偶）',
						options: [],
						rules: { maxLength: 200 },
						visibleIf: { field: 'form', in: ['family'] },
						sensitive: false
					},
					{
						key: 'capital',
						kind: 'number',
						label: '资金数额（元）',
						required: true,
						guide: '准备投入的资金，按实际填写。',
						example: '50000',
						options: [],
						rules: { min: 0, max: 100000000 },
						sensitive: false
					},
					{
						key: 'openDate',
						kind: 'date',
						label: '计划开业日期',
						required: false,
						guide: '',
						example: '2026-12-01',
						options: [],
						rules: {},
						sensitive: false
					}
				]
			}
		]
	} as TemplateDefinition,
	'370281-YBJ-002': {
		title: '城乡居民基本医疗保险参保登记表',
		sections: [
			identity as unknown as TemplateDefinition['sections'][number],
			{
				id: 'insurance',
				title: '参保信息',
				fields: [
					{
						key: 'category',
						kind: 'select',
						label: '人员类别',
						required: true,
						guide: '学生、儿童选“学生儿童”，其他选“成年居民”。',
						example: '',
						options: [
							{ value: 'adult', label: '成年居民' },
							{ value: 'student', label: '学生儿童' },
							{ value: 'elderly', label: '60 岁以上老年人' }
						],
						rules: {},
						sensitive: false
					},
					{
						key: 'address',
						kind: 'address',
						label: '户籍或居住地址',
						required: true,
						guide: '',
						example: '胶州市阜安街道郑州路 88 号',
						options: [],
						rules: { maxLength: 100 },
						sensitive: false
					},
					{
						key: 'autoDebit',
						kind: 'checkbox',
						label: '缴费方式',
						required: false,
						guide: '可以多选。',
						example: '',
						options: [
							{ value: 'bank', label: '银行代扣' },
							{ value: 'wechat', label: '微信缴费' }
						],
						rules: {},
						sensitive: false
					}
				]
			}
		]
	} as TemplateDefinition
};
