/** Four suites: unit (pure logic, mocked n8n context), integration (real node code on n8n-core's
 * WorkflowExecute against loopback fakes), e2e (bundled workflows in a real n8n), queue (the same in n8n's queue mode). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	// dist/ holds a copy of package.json (tsc includes it), which would collide in jest's module map.
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	...extra,
});
module.exports = {
	// e2e tests get theirs from test/e2e/support/timeouts.ts (minutes, scaled by E2E_TIME_SCALE).
	testTimeout: 60000,
	projects: [
		project('unit'),
		project('integration'),
		project('e2e', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'] }),
		// queue mode (PostgreSQL + Redis + main, workers and webhook processes), same limits as e2e
		project('queue', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'] }),
		// The editor in a real browser (playwright-core + Debian's chromium) on the `npm start` stack.
		project('ui', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'] }),
		// Stopping `npm start` by signal or parent death (each case boots the whole demo stack).
		project('stack', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'] }),
	],
};
