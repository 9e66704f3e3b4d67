// The message catalogue in Simplified Chinese (the source language): one file per feature under
// zh-CN/, each key family (the key's first segment) in one of them. en.ts assembles the English
// files, which have exactly the same keys (each en/<feature>.ts is typed against its Chinese one).
import app from './zh-CN/app.ts';
import punctuation from './zh-CN/punctuation.ts';
import nav from './zh-CN/nav.ts';
import home from './zh-CN/home.ts';
import auth from './zh-CN/auth.ts';
import errors from './zh-CN/errors.ts';
import catalog from './zh-CN/catalog.ts';
import booking from './zh-CN/booking.ts';
import queue from './zh-CN/queue.ts';
import video from './zh-CN/video.ts';
import callStaff from './zh-CN/call-staff.ts';
import device from './zh-CN/device.ts';
import cases from './zh-CN/case.ts';
import collab from './zh-CN/collab.ts';
import assistant from './zh-CN/assistant.ts';
import ratings from './zh-CN/ratings.ts';
import stats from './zh-CN/stats.ts';
import admin from './zh-CN/admin.ts';
import homeVisit from './zh-CN/home-visit.ts';
import desk from './zh-CN/desk.ts';
import audit from './zh-CN/audit.ts';
import notify from './zh-CN/notify.ts';
import grid from './zh-CN/grid.ts';
import issued from './zh-CN/issued.ts';
import twoFactor from './zh-CN/two-factor.ts';
import proxy from './zh-CN/proxy.ts';
import lifeEventStats from './zh-CN/life-event-stats.ts';
import lifeEvent from './zh-CN/life-event.ts';
import lifeAdmin from './zh-CN/life-admin.ts';
import learn from './zh-CN/learn.ts';

export const zhCN = {
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

export type MessageKey = keyof typeof zhCN;
