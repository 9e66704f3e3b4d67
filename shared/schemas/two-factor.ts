// Staff two-factor sign-in (server/auth/two-factor.ts): the answers and inputs of /auth/two-factor.
import { z } from 'zod';
import { SecondFactorSchema, UserSchema } from './auth.ts';

/** The 6 digits an authenticator app shows (full-width digits and spaces are folded). */
export const totpCodeSchema = z
	.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
	.transform((s) => s.normalize('NFKC').replace(/\s/g, ''))
	.pipe(z.string().regex(/^\d{6}$/, 'must be the 6 digits your authenticator app shows'));

export const TwoFactorCodeInput = z.object({ code: totpCodeSchema });
export type TwoFactorCodeInput = z.infer<typeof TwoFactorCodeInput>;

export const RecoveryCodeInput = z.object({
	recoveryCode: z
		.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
		.transform((s) =>
			s
				.normalize('NFKC')
				.toLowerCase()
				.replace(/[^a-z0-9]/g, '')
		)
		.pipe(z.string().min(1, 'is required').max(64, 'must be at most 64 characters'))
});
export type RecoveryCodeInput = z.infer<typeof RecoveryCodeInput>;

export const TwoFactorStatus = z.object({
	step: SecondFactorSchema,
	user: UserSchema
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>;

export const TwoFactorSetup = z.object({
	secret: z.string().meta({ description: 'The new secret, base32 (for typing into the app)' }),
	uri: z.string().meta({ description: 'otpauth:// key URI (for the QR code)' })
});
export type TwoFactorSetup = z.infer<typeof TwoFactorSetup>;

export const TwoFactorEnrolled = z.object({
	user: UserSchema,
	recoveryCodes: z
		.array(z.string())
		.meta({ description: 'One-time recovery codes, shown this once; only their hashes are kept' })
});

export const TwoFactorVerified = z.object({ user: UserSchema });

export const RecoveryCodeAccepted = z.object({
	user: UserSchema,
	remaining: z.number().int().meta({ description: 'Unused recovery codes left' })
});
