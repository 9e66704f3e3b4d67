import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/lib/guard.ts';

describe('safeNext (no open redirects after login)', () => {
	it('keeps paths of this site', () => {
		expect(safeNext('/my/appointments?booked=1')).toBe('/my/appointments?booked=1');
		expect(safeNext('/admin')).toBe('/admin');
	});
	it('refuses anything that could leave the site', () => {
		for (const bad of [
			'//evil.com',
			'/\\evil.com',
			'/\t/evil.com',
			'/%09/evil.com'.replace('%09', '\t'),
			'https://evil.com',
			'evil.com',
			'/\n/evil.com',
			null,
			''
		])
			expect(safeNext(bad), String(bad)).toBeNull();
	});
});
