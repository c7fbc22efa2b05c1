/** Three suites: unit (pure logic, mocked n8n context), integration (real node code on n8n-core's
 * WorkflowExecute against loopback fakes), e2e (bundled workflows in a real n8n). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});
module.exports = {
	projects: [
		project('unit'),
		project('integration', { testTimeout: 60000 }),
		project('e2e', { testTimeout: 600000 }),
	],
};
