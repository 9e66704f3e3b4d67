/** Roles of the hall (see docs: domain glossary). */
export const ROLES = ['citizen', 'agent', 'township', 'supervisor', 'admin', 'grid'] as const;
export type Role = (typeof ROLES)[number];

/** grid: a community grid worker (网格员), attached to a community org unit (issue 23) */
export const STAFF_ROLES = ['agent', 'township', 'supervisor', 'admin', 'grid'] as const;

export const ORG_LEVELS = ['city', 'district', 'township', 'community'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** Where each role lands after signing in. */
export const ROLE_HOME: Record<Role, string> = {
	citizen: '/my',
	agent: '/desk',
	township: '/township',
	supervisor: '/supervisor',
	admin: '/admin',
	grid: '/grid'
};
