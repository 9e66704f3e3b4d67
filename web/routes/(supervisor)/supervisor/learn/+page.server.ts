import { learningActions, loadLearning } from '$lib/assistant/learning-page.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadLearning(event);
export const actions: Actions = learningActions;
