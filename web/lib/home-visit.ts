// 入户办 (issue 23): the catalogue keys of a home visit's reason and state, named here in full
// so the message catalogue's check sees every key used.
import type { HOME_VISIT_REASONS, HOME_VISIT_STATUSES } from '$shared/schemas/home-visits.ts';
import type { MessageKey } from './i18n/index.ts';

const REASONS: Record<(typeof HOME_VISIT_REASONS)[number], MessageKey> = {
	elderly: 'homeVisit.reason.elderly',
	sick: 'homeVisit.reason.sick',
	disabled: 'homeVisit.reason.disabled',
	pregnant: 'homeVisit.reason.pregnant',
	other: 'homeVisit.reason.other'
};
const STATUSES: Record<(typeof HOME_VISIT_STATUSES)[number], MessageKey> = {
	open: 'grid.status.open',
	accepted: 'grid.status.accepted',
	scheduled: 'grid.status.scheduled',
	started: 'grid.status.started',
	cancelled: 'grid.status.cancelled'
};

export const reasonKey = (reason: keyof typeof REASONS): MessageKey => REASONS[reason];
export const statusKey = (status: keyof typeof STATUSES): MessageKey => STATUSES[status];
