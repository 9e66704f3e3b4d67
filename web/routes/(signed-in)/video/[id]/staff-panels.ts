// What only the staff in a call see (the workspace, the people, the ticket with the citizen's assistant
// conversation, the session's record, the grant signature request): one module the page
// downloads for staff only, so a citizen's phone does not load their code and messages.
export { default as PeoplePanel } from './PeoplePanel.svelte';
export { default as TicketPanel } from './TicketPanel.svelte';
export { default as SessionRecord } from './SessionRecord.svelte';
export { default as GrantSignatureAsk } from './GrantSignatureAsk.svelte';
export { default as Workspace } from './Workspace.svelte';
export { default as StartCaseForm } from './StartCaseForm.svelte';
export { default as EndSessionForm } from './EndSessionForm.svelte';
