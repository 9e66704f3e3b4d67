// Staff accounts and organisation units.
// English: exactly the keys of ../zh-CN/admin.ts (the type below says so).
import type zh from '../zh-CN/admin.ts';

export default {
	'admin.title': 'Administration',
	'admin.staff': 'Staff accounts',
	'admin.orgUnits': 'Org units',
	'admin.staffCount_one': '{count} staff account',
	'admin.staffCount_other': '{count} staff accounts',
	'admin.createStaff': 'New staff account',
	'admin.username': 'Username',
	'admin.name': 'Name',
	'admin.role': 'Role',
	'admin.orgUnit': 'Org unit',
	'admin.password': 'Initial password',
	'admin.create': 'Create account',
	'admin.created': 'Account {username} created',
	'admin.col.username': 'Username',
	'admin.col.name': 'Name',
	'admin.col.role': 'Role',
	'admin.col.orgUnit': 'Org unit',
	'admin.col.status': 'Status',
	'admin.active': 'Active',
	'admin.disabled': 'Disabled',
	'admin.disable': 'Disable',
	'admin.enable': 'Enable',
	'admin.col.level': 'Level',
	'admin.col.code': 'Code',
	'admin.col.department': 'Department',
	'admin.departmentOf': 'Department of {username}',
	'admin.noDepartment': 'None (whole area)',
	'admin.setDepartment': 'Save',
	'admin.setDepartmentOf': 'Save the department of {username}',
	'admin.noDepartments': 'No departments in this org unit'
} satisfies Record<keyof typeof zh, string>;
