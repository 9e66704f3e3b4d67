import { z } from 'zod';

/** The one error shape of the API: `{ error: { code, message, fields? } }`. */
export const ErrorBody = z
	.object({
		error: z.object({
			code: z.string().meta({ example: 'validation_failed' }),
			message: z.string(),
			fields: z
				.record(z.string(), z.string())
				.optional()
				.meta({ description: 'Field path → what is wrong with it' })
		})
	})
	.meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
