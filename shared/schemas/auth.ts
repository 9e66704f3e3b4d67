import { z } from 'zod';
import { ORG_LEVELS, ROLES, STAFF_ROLES } from '../roles.ts';
import { ActingSchema } from './acting.ts';

/** A string field whose absence and wrong type read differently in the error. */
const text = () =>
	z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') });

/** Mainland mobile number: 11 digits starting with 1 (full-width digits and spaces are folded). */
export const phoneSchema = text()
	.transform((s) => s.normalize('NFKC').replace(/[\s-]/g, ''))
	.pipe(z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number starting with 1'));

export const passwordSchema = text()
	.min(8, 'must be at least 8 characters')
	.max(128, 'must be at most 128 characters');

export const personNameSchema = text()
	.transform((s) => s.normalize('NFC').trim())
	.pipe(z.string().min(1, 'is required').max(50, 'must be at most 50 characters'));

export const usernameSchema = text()
	.trim()
	.toLowerCase()
	.regex(
		/^[a-z][a-z0-9_.-]{2,31}$/,
		'must be 3-32 letters, digits, . _ or -, starting with a letter'
	);

/** The 6-digit code an SMS carried (full-width digits and spaces are folded). */
export const smsCodeSchema = text()
	.transform((s) => s.normalize('NFKC').replace(/\s/g, ''))
	.pipe(z.string().regex(/^\d{6}$/, 'must be the 6 digits from the SMS'));

export const PHONE_CODE_PURPOSES = ['register', 'reset'] as const;
export const PhoneCodeRequest = z.object({
	phone: phoneSchema,
	purpose: z.enum(PHONE_CODE_PURPOSES, { error: 'must be register or reset' })
});
export type PhoneCodeRequest = z.infer<typeof PhoneCodeRequest>;

export const PhoneCodeSent = z.object({
	phone: z.string().meta({ description: 'The number, masked (138****0001)' }),
	expiresInSeconds: z.number().int(),
	resendAfterSeconds: z.number().int()
});
export type PhoneCodeSent = z.infer<typeof PhoneCodeSent>;

export const RegisterInput = z.object({
	phone: phoneSchema,
	code: smsCodeSchema,
	password: passwordSchema,
	name: personNameSchema
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const PasswordResetInput = z.object({
	phone: phoneSchema,
	code: smsCodeSchema,
	password: passwordSchema
});
export type PasswordResetInput = z.infer<typeof PasswordResetInput>;

export const LoginInput = z.object({
	login: z
		.string({ error: 'is required' })
		.transform((s) => s.normalize('NFKC').trim())
		.pipe(z.string().min(1, 'is required').max(64, 'must be at most 64 characters')),
	password: text().min(1, 'is required').max(128, 'must be at most 128 characters')
});
export type LoginInput = z.infer<typeof LoginInput>;

export const RoleSchema = z.enum(ROLES);
export const StaffRoleSchema = z.enum(STAFF_ROLES, {
	error: `must be one of ${STAFF_ROLES.join(', ')}`
});
export const OrgLevelSchema = z.enum(ORG_LEVELS);

export const UserSchema = z.object({
	id: z.string(),
	role: RoleSchema,
	name: z.string(),
	phone: z.string().nullable().meta({ description: 'Masked for staff viewing other users' }),
	username: z.string().nullable(),
	orgUnitId: z.string().nullable()
});
export type User = z.infer<typeof UserSchema>;

/** A staff account as admins list it: whether it is disabled (停用). */
export const StaffMemberSchema = UserSchema.extend({ disabled: z.boolean() });
export type StaffMember = z.infer<typeof StaffMemberSchema>;

export const SECOND_FACTOR_STEPS = ['verify', 'enrol'] as const;
/** What a session still needs before it is signed in: a code (verify), an authenticator set up (enrol). */
export const SecondFactorSchema = z.enum(SECOND_FACTOR_STEPS).nullable().meta({
	description:
		'null: signed in. verify or enrol: the session awaits its second factor (/auth/two-factor)'
});
export type SecondFactor = z.infer<typeof SecondFactorSchema>;

export const AuthResult = z.object({
	user: UserSchema,
	token: z.string().meta({ description: 'Session token; send as `Authorization: Bearer <token>`' }),
	secondFactor: SecondFactorSchema
});

/** What the signed-in user chose for themselves, on every device they sign in on. */
export const PreferencesSchema = z.object({
	careMode: z.boolean().meta({
		description: '适老化 (age-friendly) mode: large text and targets, high contrast, read-aloud'
	})
});
export type Preferences = z.infer<typeof PreferencesSchema>;
export const PreferencesInput = z.object({
	careMode: z.boolean({ error: 'must be true or false' })
});

export const MeResult = z.object({
	/** the signed-in person (also while acting for someone) */
	user: UserSchema,
	preferences: PreferencesSchema,
	/** 代办: whom this sign-in acts for (the pages show it on every page), or null */
	acting: ActingSchema.nullable()
});

export const StaffCreateInput = z.object({
	username: usernameSchema,
	name: personNameSchema,
	role: StaffRoleSchema,
	orgUnitId: text().min(1, 'is required'),
	password: passwordSchema
});
export type StaffCreateInput = z.infer<typeof StaffCreateInput>;

export const OrgUnitSchema = z.object({
	id: z.string(),
	parentId: z.string().nullable(),
	level: OrgLevelSchema,
	code: z.string(),
	name: z.string()
});
export type OrgUnit = z.infer<typeof OrgUnitSchema>;

/** Where and how to reach an org unit (办公地址, 联系电话, 办公时间); null while not set. */
export const OrgUnitContactSchema = OrgUnitSchema.extend({
	address: z.string().nullable(),
	phone: z.string().nullable(),
	openingHours: z.string().nullable()
}).meta({ id: 'OrgUnitContact' });
export type OrgUnitContact = z.infer<typeof OrgUnitContactSchema>;

/** An empty text clears the value. */
const contactText = (max: number) =>
	z
		.string({ error: 'must be text' })
		.trim()
		.max(max, `must be at most ${max} characters`)
		.transform((v) => v || null);

export const OrgUnitContactInput = z.object({
	address: contactText(120),
	phone: contactText(20).refine(
		(v) => v === null || /^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1\d{10}|12345|400-?\d{3}-?\d{4})$/.test(v),
		'must be a phone number such as 0532-87212345 or 13800000000'
	),
	openingHours: contactText(120)
});
export type OrgUnitContactInput = z.infer<typeof OrgUnitContactInput>;

/** A staff session's idle clock (null for citizens, whose sessions do not end on idling). */
export const SessionActivity = z.object({
	idleTimeoutSeconds: z.number().int().nullable(),
	idleExpiresInSeconds: z
		.number()
		.int()
		.nullable()
		.meta({ description: 'Seconds until the session ends unless there is activity before' })
});
export type SessionActivity = z.infer<typeof SessionActivity>;
