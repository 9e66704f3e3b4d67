import { deskConsoleActions, loadDeskConsole } from '$lib/desk-console.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadDeskConsole(event);
export const actions: Actions = deskConsoleActions;
