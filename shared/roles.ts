/** Roles of the hall (see docs: domain glossary). */
export const ROLES = ['citizen', 'agent', 'township', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['agent', 'township', 'supervisor', 'admin'] as const;

export const ORG_LEVELS = ['city', 'district', 'township', 'community'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** Where each role lands after signing in. */
export const ROLE_HOME: Record<Role, string> = {
	citizen: '/my',
	agent: '/desk',
	township: '/township',
	supervisor: '/supervisor',
	admin: '/admin'
};
