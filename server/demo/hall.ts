// The demo hall: a small but realistic slice of a city, for `npm run dev`, demos and e2e tests.
// Only seedDemo writes it, and only when DEMO=1 or `npm run seed` asks.
import type { OrgLevel, Role } from '../../shared/roles.ts';
import { lifeEventDepartments, lifeEventItems } from './life-events.ts';

export const DEMO_PASSWORD = 'Demo@2026';
/**
 * Every demo staff account signs in with a second factor from this one TOTP secret (base32): add
 * it to an authenticator app by hand, or run `npm run demo:code` for the current code. Public on
 * purpose, like the password: a demo hall only.
 */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const demoOrgUnits: {
	code: string;
	parent: string | null;
	level: OrgLevel;
	name: string;
}[] = [
	{ code: '370200', parent: null, level: 'city', name: '青岛市' },
	{ code: '370281', parent: '370200', level: 'district', name: '胶州市' },
	{ code: '370213', parent: '370200', level: 'district', name: '李沧区' },
	{ code: '370281001', parent: '370281', level: 'township', name: '阜安街道' },
	{ code: '370281002', parent: '370281', level: 'township', name: '九龙街道' },
	{ code: '370213004', parent: '370213', level: 'township', name: '虎山路街道' },
	{ code: '370281001001', parent: '370281001', level: 'community', name: '郑州路社区' }
];

/** Address, phone and opening hours of the demo org units (fictional), printed on the 受理通知书. */
export const demoOrgUnitContacts: Record<
	string,
	{ address: string; phone: string; openingHours: string }
> = {
	'370200': {
		address: '青岛市市南区示例路 1 号 青岛市民中心',
		phone: '0532-80000000',
		openingHours: '周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）'
	},
	'370281': {
		address: '胶州市示例路 100 号 胶州市政务服务大厅一楼',
		phone: '0532-80001000',
		openingHours: '周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）'
	},
	'370281001': {
		address: '胶州市阜安街道示例路 8 号 阜安街道便民服务中心',
		phone: '0532-80001101',
		openingHours: '周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）'
	},
	'370281002': {
		address: '胶州市九龙街道示例路 6 号 九龙街道便民服务中心',
		phone: '0532-80001102',
		openingHours: '周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）'
	}
};

export const demoAccounts: {
	role: Role;
	login: string;
	name: string;
	orgUnit: string | null;
	/** 部门 (issue 24): staff of one department see their department's items only */
	department?: string;
}[] = [
	{ role: 'citizen', login: '13800000001', name: '王秀兰', orgUnit: null },
	{ role: 'admin', login: 'admin', name: '系统管理员', orgUnit: '370200' },
	{ role: 'agent', login: 'agent', name: '李静', orgUnit: '370281' },
	{ role: 'township', login: 'township', name: '赵磊', orgUnit: '370281001' },
	{ role: 'supervisor', login: 'supervisor', name: '陈敏', orgUnit: '370281' },
	// 网格员 of 郑州路社区 (issue 23): visits residents at home and connects them to the desk
	{ role: 'grid', login: 'grid', name: '赵秀梅', orgUnit: '370281001001' },
	// department staff (issue 24): each works on their department's part of a life event
	{ role: 'agent', login: 'xzsp', name: '孙丽', orgUnit: '370281', department: 'JZ-XZSP' },
	{ role: 'agent', login: 'rsj', name: '周涛', orgUnit: '370281', department: 'JZ-RSJ' },
	{ role: 'agent', login: 'swj', name: '钱伟', orgUnit: '370281', department: 'JZ-SWJ' }
];

export const demoDepartments = [
	{
		code: 'JZ-XZSP',
		orgUnit: '370281',
		name: '胶州市行政审批服务局',
		nameEn: 'Jiaozhou Administrative Approval Service Bureau'
	},
	{
		code: 'JZ-RSJ',
		orgUnit: '370281',
		name: '胶州市人力资源和社会保障局',
		nameEn: 'Jiaozhou Human Resources and Social Security Bureau'
	},
	{
		code: 'JZ-YBJ',
		orgUnit: '370281',
		name: '胶州市医疗保障局',
		nameEn: 'Jiaozhou Healthcare Security Bureau'
	},
	{
		code: 'JZ-MZJ',
		orgUnit: '370281',
		name: '胶州市民政局',
		nameEn: 'Jiaozhou Civil Affairs Bureau'
	},
	{
		code: 'QD-GJJ',
		orgUnit: '370200',
		name: '青岛市住房公积金管理中心',
		nameEn: 'Qingdao Housing Provident Fund Management Centre'
	},
	...lifeEventDepartments
];

/** Import rows (the same shape `npm run catalog:import` reads from JSONL). */
export const demoServiceItems: Record<string, unknown>[] = [
	{
		code: '370281-XZSP-001',
		category: 'A',
		keywords: [
			'营业执照',
			'个体户',
			'开店',
			'business licence',
			'sole trader',
			'self-employed',
			'open a shop'
		],
		bundles: ['KBCY'],
		name: '个体工商户设立登记',
		nameEn: 'Individual Business Registration (business licence)',
		departmentCode: 'JZ-XZSP',
		description:
			'在本市从事个体经营的公民，申请领取个体工商户营业执照。材料齐全、符合法定形式的，当场办结。',
		feeFen: 0,
		timeLimitDays: 1,
		channels: ['video', 'onsite'],
		acceptLevels: ['district', 'township'],
		approveLevel: 'district',
		materials: [
			{ name: '经营者身份证明', description: '居民身份证原件', key: true },
			{ name: '经营场所使用证明', description: '房产证明或租赁合同' },
			{ name: '个体工商户登记（备案）申请书' }
		]
	},
	{
		code: '370281-XZSP-014',
		category: 'A',
		keywords: ['食品许可', '餐饮', '开餐馆', 'food licence', 'catering'],
		bundles: ['KBCY'],
		name: '食品经营许可证核发',
		nameEn: 'Food Business Licence',
		departmentCode: 'JZ-XZSP',
		description: '从事食品销售和餐饮服务活动，应当依法取得食品经营许可。',
		feeFen: 0,
		timeLimitDays: 10,
		channels: ['video', 'onsite'],
		acceptLevels: ['district'],
		approveLevel: 'district',
		materials: [
			{ name: '食品经营许可申请书' },
			{ name: '营业执照复印件' },
			{ name: '经营场所平面图和设备布局图' },
			{ name: '食品安全管理制度' }
		]
	},
	{
		code: '370281-RSJ-003',
		category: 'B',
		keywords: ['社保', '养老保险', '灵活就业', 'social insurance', 'freelance'],
		bundles: ['KBCY'],
		name: '灵活就业人员参保登记',
		nameEn: 'Flexible Employment Pension Insurance Registration',
		departmentCode: 'JZ-RSJ',
		description:
			'无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员等灵活就业人员办理社会保险参保登记。',
		feeFen: 0,
		timeLimitDays: 1,
		channels: ['video', 'onsite'],
		acceptLevels: ['district', 'township'],
		approveLevel: 'district',
		materials: [
			{ name: '居民身份证', key: true },
			{ name: '社会保障卡', required: false }
		]
	},
	{
		code: '370281-YBJ-002',
		category: 'B',
		keywords: ['医保', '居民医保', 'medical insurance'],
		name: '城乡居民基本医疗保险参保登记',
		nameEn: "Urban and Rural Residents' Medical Insurance Registration",
		departmentCode: 'JZ-YBJ',
		description: '未参加职工基本医疗保险的城乡居民，办理居民医保参保登记和缴费。',
		feeFen: 0,
		timeLimitDays: 1,
		channels: ['video', 'onsite'],
		acceptLevels: ['district', 'township', 'community'],
		approveLevel: 'district',
		materials: [{ name: '居民身份证或户口簿', key: true }]
	},
	{
		code: '370281-MZJ-007',
		category: 'C',
		keywords: ['老年证', '优待证', 'elderly card'],
		name: '老年人优待证办理',
		nameEn: 'Senior Citizen Preferential Card',
		departmentCode: 'JZ-MZJ',
		description: '年满60周岁的本市户籍老年人，可申领老年人优待证，享受公共交通、景区等优待。',
		feeFen: 0,
		timeLimitDays: 5,
		channels: ['video', 'onsite'],
		acceptLevels: ['township', 'community'],
		approveLevel: 'township',
		materials: [{ name: '居民身份证', key: true }, { name: '近期一寸免冠照片' }]
	},
	{
		code: '370200-GJJ-011',
		category: 'D',
		keywords: ['公积金', '租房提取', 'housing fund'],
		name: '住房公积金提取（租房）',
		nameEn: 'Housing Provident Fund Withdrawal (renting)',
		departmentCode: 'QD-GJJ',
		description: '职工本人及配偶在缴存城市无自有住房且租赁住房的，可提取住房公积金支付房租。',
		feeFen: 0,
		timeLimitDays: 3,
		channels: ['video'],
		acceptLevels: ['city', 'district', 'township'],
		approveLevel: 'city',
		materials: [
			{ name: '居民身份证', key: true },
			{ name: '房屋租赁合同' },
			{ name: '本人银行卡', description: '一类银行账户' }
		]
	}
];

demoServiceItems.push(...lifeEventItems);

export const demoCategories = [
	{ code: 'A', name: '商事登记' },
	{ code: 'B', name: '社会保障' },
	{ code: 'C', name: '民政服务' },
	{ code: 'D', name: '住房公积金' }
];

export const demoBundles = [
	{
		code: 'KBCY',
		name: '我要开餐馆',
		description: '开办餐饮店一件事：营业执照、食品经营许可和参保登记一次申请、并联办理。'
	}
];

/** Opening hours of the demo halls: weekdays 09:00-12:00 and 13:30-17:00. */
export const WEEKDAY_HOURS: Record<string, [string, string][]> = Object.fromEntries(
	[1, 2, 3, 4, 5].map((d) => [
		String(d),
		[
			['09:00', '12:00'],
			['13:30', '17:00']
		]
	])
);

export const demoSchedules = [
	...[
		'370281-XZSP-001',
		'370281-XZSP-014',
		'370281-RSJ-003',
		'370281-YBJ-002',
		'370281-YJS-001'
	].flatMap((code) => [
		{ orgUnit: '370281', item: code, channel: 'video' as const, slotMinutes: 30, capacity: 2 },
		{ orgUnit: '370281', item: code, channel: 'onsite' as const, slotMinutes: 30, capacity: 3 }
	]),
	{
		orgUnit: '370281001',
		item: '370281-MZJ-007',
		channel: 'video' as const,
		slotMinutes: 20,
		capacity: 1
	},
	{
		orgUnit: '370200',
		item: '370200-GJJ-011',
		channel: 'video' as const,
		slotMinutes: 30,
		capacity: 2
	}
];

export const demoDesks = [
	{ orgUnit: '370281', name: '1号窗口', categories: 'A,B' },
	{ orgUnit: '370281', name: '2号窗口', categories: 'A,B,C' },
	{ orgUnit: '370281001', name: '阜安街道便民服务窗口', categories: 'A,B,C' },
	{ orgUnit: '370200', name: '公积金视频窗口', categories: 'D' }
];
