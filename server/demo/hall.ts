// The demo hall: a small but realistic slice of a city, for `npm run dev`, demos and e2e tests.
// Only seedDemo writes it, and only when DEMO=1 or `npm run seed` asks.
import type { OrgLevel, Role } from '../../shared/roles.ts';

export const DEMO_PASSWORD = 'Demo@2026';

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

export const demoAccounts: {
	role: Role;
	login: string;
	name: string;
	orgUnit: string | null;
}[] = [
	{ role: 'citizen', login: '13800000001', name: '王秀兰', orgUnit: null },
	{ role: 'admin', login: 'admin', name: '系统管理员', orgUnit: '370200' },
	{ role: 'agent', login: 'agent', name: '李静', orgUnit: '370281' },
	{ role: 'township', login: 'township', name: '赵磊', orgUnit: '370281001' },
	{ role: 'supervisor', login: 'supervisor', name: '陈敏', orgUnit: '370281' }
];

export const demoDepartments = [
	{ code: 'JZ-XZSP', orgUnit: '370281', name: '胶州市行政审批服务局' },
	{ code: 'JZ-RSJ', orgUnit: '370281', name: '胶州市人力资源和社会保障局' },
	{ code: 'JZ-YBJ', orgUnit: '370281', name: '胶州市医疗保障局' },
	{ code: 'JZ-MZJ', orgUnit: '370281', name: '胶州市民政局' },
	{ code: 'QD-GJJ', orgUnit: '370200', name: '青岛市住房公积金管理中心' }
];

export const demoServiceItems: {
	code: string;
	name: string;
	department: string;
	description: string;
	feeFen: number;
	timeLimitDays: number;
	video: boolean;
	onsite: boolean;
	acceptLevels: OrgLevel[];
	approveLevel: 'city' | 'district' | 'township';
	materials: { name: string; description?: string; required?: boolean }[];
}[] = [
	{
		code: '370281-XZSP-001',
		name: '个体工商户设立登记',
		department: 'JZ-XZSP',
		description:
			'在本市从事个体经营的公民，申请领取个体工商户营业执照。材料齐全、符合法定形式的，当场办结。',
		feeFen: 0,
		timeLimitDays: 1,
		video: true,
		onsite: true,
		acceptLevels: ['district', 'township'],
		approveLevel: 'district',
		materials: [
			{ name: '经营者身份证明', description: '居民身份证原件' },
			{ name: '经营场所使用证明', description: '房产证明或租赁合同' },
			{ name: '个体工商户登记（备案）申请书' }
		]
	},
	{
		code: '370281-XZSP-014',
		name: '食品经营许可证核发',
		department: 'JZ-XZSP',
		description: '从事食品销售和餐饮服务活动，应当依法取得食品经营许可。',
		feeFen: 0,
		timeLimitDays: 10,
		video: true,
		onsite: true,
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
		name: '灵活就业人员参保登记',
		department: 'JZ-RSJ',
		description:
			'无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员等灵活就业人员办理社会保险参保登记。',
		feeFen: 0,
		timeLimitDays: 1,
		video: true,
		onsite: true,
		acceptLevels: ['district', 'township'],
		approveLevel: 'district',
		materials: [{ name: '居民身份证' }, { name: '社会保障卡', required: false }]
	},
	{
		code: '370281-YBJ-002',
		name: '城乡居民基本医疗保险参保登记',
		department: 'JZ-YBJ',
		description: '未参加职工基本医疗保险的城乡居民，办理居民医保参保登记和缴费。',
		feeFen: 0,
		timeLimitDays: 1,
		video: true,
		onsite: true,
		acceptLevels: ['district', 'township', 'community'],
		approveLevel: 'district',
		materials: [{ name: '居民身份证或户口簿' }]
	},
	{
		code: '370281-MZJ-007',
		name: '老年人优待证办理',
		department: 'JZ-MZJ',
		description: '年满60周岁的本市户籍老年人，可申领老年人优待证，享受公共交通、景区等优待。',
		feeFen: 0,
		timeLimitDays: 5,
		video: true,
		onsite: true,
		acceptLevels: ['township', 'community'],
		approveLevel: 'township',
		materials: [{ name: '居民身份证' }, { name: '近期一寸免冠照片' }]
	},
	{
		code: '370200-GJJ-011',
		name: '住房公积金提取（租房）',
		department: 'QD-GJJ',
		description: '职工本人及配偶在缴存城市无自有住房且租赁住房的，可提取住房公积金支付房租。',
		feeFen: 0,
		timeLimitDays: 3,
		video: true,
		onsite: false,
		acceptLevels: ['city', 'district', 'township'],
		approveLevel: 'city',
		materials: [
			{ name: '居民身份证' },
			{ name: '房屋租赁合同' },
			{ name: '本人银行卡', description: '一类银行账户' }
		]
	}
];

export const demoDesks = [
	{ orgUnit: '370281', name: '1号窗口（视频）' },
	{ orgUnit: '370281', name: '2号窗口（视频）' },
	{ orgUnit: '370281001', name: '阜安街道便民服务窗口' }
];
