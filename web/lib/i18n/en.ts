// The message catalogue in English, assembled from en/ like zh-CN.ts from zh-CN/.
import type { MessageKey } from './zh-CN.ts';
import app from './en/app.ts';
import punctuation from './en/punctuation.ts';
import nav from './en/nav.ts';
import home from './en/home.ts';
import auth from './en/auth.ts';
import errors from './en/errors.ts';
import catalog from './en/catalog.ts';
import booking from './en/booking.ts';
import queue from './en/queue.ts';
import video from './en/video.ts';
import callStaff from './en/call-staff.ts';
import device from './en/device.ts';
import cases from './en/case.ts';
import collab from './en/collab.ts';
import assistant from './en/assistant.ts';
import ratings from './en/ratings.ts';
import stats from './en/stats.ts';
import admin from './en/admin.ts';
import homeVisit from './en/home-visit.ts';
import desk from './en/desk.ts';
import audit from './en/audit.ts';
import notify from './en/notify.ts';
import grid from './en/grid.ts';
import issued from './en/issued.ts';
import twoFactor from './en/two-factor.ts';
import proxy from './en/proxy.ts';
import lifeEventStats from './en/life-event-stats.ts';
import lifeEvent from './en/life-event.ts';
import lifeAdmin from './en/life-admin.ts';
import learn from './en/learn.ts';

export const en: Record<MessageKey, string> = {
	...app,
	...punctuation,
	...nav,
	...home,
	...auth,
	...errors,
	...catalog,
	...booking,
	...queue,
	...video,
	...callStaff,
	...device,
	...cases,
	...collab,
	...assistant,
	...ratings,
	...stats,
	...admin,
	...homeVisit,
	...desk,
	...audit,
	...notify,
	...grid,
	...issued,
	...twoFactor,
	...proxy,
	...lifeEventStats,
	...lifeEvent,
	...lifeAdmin,
	...learn
};
