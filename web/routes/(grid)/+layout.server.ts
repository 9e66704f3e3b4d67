import { requireRole } from '$lib/guard.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	user: requireRole(locals, url, ['grid'])
});
