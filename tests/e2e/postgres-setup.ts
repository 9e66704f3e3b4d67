// Set-up of project e2e-postgres: the same hall as global-setup.ts (the production build, the
// demo hall, a real LiveKit), its data in a throwaway PostgreSQL cluster (DATABASE_URL).
import type { TestProject } from 'vitest/node';
import setup from './global-setup.ts';

export default (project: TestProject) => setup(project, { postgres: true });
