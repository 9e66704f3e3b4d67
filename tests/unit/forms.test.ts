import { describe, expect, it } from 'vitest';
import { isValidCreditCode, isValidIdNumber, maskIdNumber } from '../../shared/forms/validators.ts';
import { TemplateDefinition, fieldReasonCode, validateForm } from '../../shared/forms/template.ts';

describe('identifier checksums', () => {
	it('checks 居民身份证号码', () => {
		expect(isValidIdNumber('11010519491231002X')).toBe(true);
		expect(isValidIdNumber('110105194912310021')).toBe(false); // wrong check character
		expect(isValidIdNumber('110105194913310029')).toBe(false); // month 13
		expect(isValidIdNumber('11010519491231002')).toBe(false);
	});
	it('checks 统一社会信用代码', () => {
		expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
		expect(isValidCreditCode('91350100M000100Y42')).toBe(false);
		expect(isValidCreditCode('91350100M000100YI3')).toBe(false); // I is not in the alphabet
	});
	it('masks ID numbers', () => {
		expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
	});
});

describe('form definition', () => {
	const template = TemplateDefinition.parse({
		title: '测试',
		sections: [
			{
				id: 's1',
				title: '基本信息',
				fields: [
					{ key: 'name', kind: 'text', label: '姓名', required: true },
					{
						key: 'idNumber',
						kind: 'id_number',
						label: '身份证号',
						required: true,
						sensitive: true
					},
					{
						key: 'form',
						kind: 'radio',
						label: '组成形式',
						required: true,
						options: [
							{ value: 'person', label: '个人' },
							{ value: 'family', label: '家庭' }
						]
					},
					{
						key: 'members',
						kind: 'textarea',
						label: '家庭成员',
						required: true,
						visibleIf: { field: 'form', in: ['family'] }
					},
					{ key: 'capital', kind: 'number', label: '资金数额', rules: { min: 0, max: 1000000 } }
				]
			}
		]
	});

	it('reports the bad ID checksum on that field, and required fields', () => {
		expect(
			validateForm(template, { name: '王', idNumber: '110105194912310021', form: 'person' })
		).toEqual({
			idNumber: 'has a wrong check digit'
		});
		// each reason of an ID number on its own, and its code for the page's catalogue
		expect(
			validateForm(template, { name: '王', idNumber: '11010519491331002X', form: 'person' })
		).toEqual({ idNumber: 'does not contain a real birth date' });
		expect(validateForm(template, { name: '王', idNumber: '1101051949', form: 'person' })).toEqual({
			idNumber: 'must be 18 characters: 17 digits and a check digit (0-9 or X)'
		});
		expect(fieldReasonCode('has a wrong check digit')).toBe('id_check_digit');
		expect(fieldReasonCode('must be at least 2 characters')).toBeNull();
		expect(validateForm(template, {})).toEqual({
			name: 'is required',
			idNumber: 'is required',
			form: 'is required'
		});
	});

	it('requires conditional fields only when shown', () => {
		const base = { name: '王', idNumber: '11010519491231002X' };
		expect(validateForm(template, { ...base, form: 'person' })).toEqual({});
		expect(validateForm(template, { ...base, form: 'family' })).toEqual({ members: 'is required' });
		expect(validateForm(template, { ...base, form: 'person', capital: -5 })).toEqual({
			capital: 'must be at least 0'
		});
	});

	it('refuses a definition with duplicate keys or unknown dependencies', () => {
		const bad = TemplateDefinition.safeParse({
			title: 'x',
			sections: [
				{
					id: 's',
					title: 's',
					fields: [
						{ key: 'a', kind: 'text', label: 'A' },
						{ key: 'a', kind: 'text', label: 'B', visibleIf: { field: 'zz', in: ['1'] } }
					]
				}
			]
		});
		expect(bad.success).toBe(false);
	});
});
