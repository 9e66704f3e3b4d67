// Staff accounts and organisation units.
// Simplified Chinese, the source language; en/admin.ts has exactly the same keys.
export default {
	'admin.title': '系统管理',
	'admin.staff': '工作人员账号',
	'admin.orgUnits': '行政区划与单位',
	'admin.staffCount_one': '共 {count} 个工作人员账号',
	'admin.staffCount_other': '共 {count} 个工作人员账号',
	'admin.createStaff': '新建工作人员账号',
	'admin.username': '用户名',
	'admin.name': '姓名',
	'admin.role': '角色',
	'admin.orgUnit': '所属单位',
	'admin.password': '初始密码',
	'admin.create': '创建账号',
	'admin.created': '已创建账号 {username}',
	'admin.col.username': '用户名',
	'admin.col.name': '姓名',
	'admin.col.role': '角色',
	'admin.col.orgUnit': '单位',
	'admin.col.status': '状态',
	'admin.active': '正常',
	'admin.disabled': '已停用',
	'admin.disable': '停用',
	'admin.enable': '启用',
	'admin.col.level': '层级',
	'admin.col.code': '代码'
};
