import { z } from 'zod';
import { NotificationSchema } from '../../shared/schemas/booking.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { listMyNotifications, markNotificationRead } from './outbox.ts';

const list = defineRoute('signed-in', {
	method: 'get',
	path: '/notifications',
	tags: ['notifications'],
	summary: 'My in-app notices (newest first)',
	responses: { 200: json(z.object({ notifications: z.array(NotificationSchema) }), 'Notices') }
});

const read = defineRoute('signed-in', {
	method: 'post',
	path: '/notifications/{id}/read',
	tags: ['notifications'],
	summary: 'Mark one of my notices read',
	request: { params: IdParam },
	responses: {
		204: { description: 'Marked (or already read)' },
		404: errorJson('No such notice of mine')
	}
});

export function notificationRoutes() {
	return createRouter()
		.openapi(list, async (c) =>
			c.json({ notifications: await listMyNotifications(c.var.deps, c.var.user!.id) }, 200)
		)
		.openapi(read, async (c) => {
			await markNotificationRead(c.var.deps, c.var.user!.id, c.req.valid('param').id);
			return c.body(null, 204);
		});
}
