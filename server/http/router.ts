import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { ErrorBody } from '../../shared/schemas/errors.ts';
import type { AppEnv } from './env.ts';
import { AppError, fieldsFromZod } from './errors.ts';

/** A feature's router. Validation failures become 400 `validation_failed` naming each field. */
export function createRouter() {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) throw AppError.validation(fieldsFromZod(result.error));
		}
	});
}

export const json = <T extends ZodType>(schema: T, description: string) => ({
	description,
	content: { 'application/json': { schema } }
});

export const jsonBody = <T extends ZodType>(schema: T) => ({
	required: true,
	content: { 'application/json': { schema } }
});

/** A documented error response (`{ error: { code, message, fields? } }`). */
export const errorJson = (description: string) => json(ErrorBody, description);
