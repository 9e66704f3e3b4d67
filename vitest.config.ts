import { defineConfig } from 'vitest/config';
import { findPostgresBin } from './scripts/postgres-process.ts';

// Three tiers (README: Tests). All run with TZ=UTC; the hall's own time zone comes from config.
process.env.TZ = 'UTC';

// The API tier runs a second time on PostgreSQL (a throwaway cluster, tests/api/postgres-setup.ts).
// Without Debian's postgresql installed, a local run says so and leaves that run out; in CI
// (CI=true) the run is always there, so a missing PostgreSQL fails it.
const postgres = process.env.CI === 'true' || findPostgresBin() !== null;
if (!postgres)
	console.warn(
		'PostgreSQL is not installed: the API tier runs on SQLite only. Install it (Debian: apt-get install postgresql postgresql-contrib) to run it on PostgreSQL too.'
	);

/**
 * API test files that stay on SQLite, each for a reason of its own: what they test is SQLite's
 * (its online backup, its disk-full and read-only faults, the file shared by processes), or they
 * start a PostgreSQL cluster themselves.
 */
const SQLITE_ONLY = [
	'tests/api/backup.test.ts',
	'tests/api/storage-faults.test.ts',
	'tests/api/postgres-store.test.ts',
	'tests/api/postgres-migrations.test.ts',
	'tests/api/db-copy.test.ts',
	'tests/api/backup-postgres.test.ts',
	'tests/api/postgres-recovery.test.ts',
	'tests/api/postgres-event-bus.test.ts'
];

/** End-to-end files of project e2e-postgres alone: they check the app runs on PostgreSQL. */
const E2E_POSTGRES_ONLY = ['tests/e2e/postgres.test.ts'];

/** End-to-end files of project e2e-cluster alone: they need the city of cluster-setup.ts. */
const E2E_CLUSTER_ONLY = ['tests/e2e/cluster.test.ts'];

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'api',
					include: ['tests/api/**/*.test.ts'],
					environment: 'node',
					testTimeout: 20_000
				}
			},
			...(postgres
				? [
						{
							test: {
								name: 'api-postgres',
								include: ['tests/api/**/*.test.ts'],
								exclude: SQLITE_ONLY,
								environment: 'node',
								globalSetup: ['tests/api/postgres-setup.ts'],
								testTimeout: 30_000,
								hookTimeout: 60_000
							}
						}
					]
				: []),
			{
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					exclude: [...E2E_POSTGRES_ONLY, ...E2E_CLUSTER_ONLY],
					environment: 'node',
					globalSetup: ['tests/e2e/global-setup.ts'],
					// One browser-driving file at a time: two cores, one app server, one LiveKit.
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// a page's answer on a busy two-core machine may take more than expect.poll's 1 s
					// (an SMS status once failed so under load); a poll still fails if it never comes
					expect: { poll: { timeout: 5_000 } }
				}
			},
			// The whole hall (pages, API, video, assistant, dashboard) as `DATABASE_URL=… npm start`
			// runs it: the same production build on a throwaway PostgreSQL cluster, one journey.
			...(postgres
				? [
						{
							test: {
								name: 'e2e-postgres',
								include: E2E_POSTGRES_ONLY,
								environment: 'node',
								globalSetup: ['tests/e2e/postgres-setup.ts'],
								fileParallelism: false,
								testTimeout: 60_000,
								hookTimeout: 60_000,
								expect: { poll: { timeout: 5_000 } }
							}
						}
					]
				: []),
			// A city on one machine (scripts/cluster.ts): PostgreSQL, Redis, two LiveKit nodes, two
			// app nodes and nginx; the citizen's browser on one node, the agent's on the other, one
			// node killed mid-journey. Where PostgreSQL is, or in CI (nginx, Redis from .ci/run).
			...(postgres
				? [
						{
							test: {
								name: 'e2e-cluster',
								include: E2E_CLUSTER_ONLY,
								environment: 'node',
								globalSetup: ['tests/e2e/cluster-setup.ts'],
								fileParallelism: false,
								testTimeout: 180_000,
								hookTimeout: 60_000,
								expect: { poll: { timeout: 5_000 } }
							}
						}
					]
				: [])
		]
	}
});
