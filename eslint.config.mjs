// n8n's own community-node config, rules untouched, for the code that ships (nodes/, credentials/, package.json).
// The test bench, fakes, scripts and benches need fs, http, child_process and process, which n8n's cloud rules
// forbid, so they get a standard typescript-eslint config instead. See README, "Development".
import { config as n8nConfig } from '@n8n/node-cli/eslint';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const devOnly = ['test/**', 'scripts/**', 'bench/**', '*.config.js', '*.config.mjs'];

export default [
	...n8nConfig.map((block) =>
		block.files?.includes('**/*.ts') ? { ...block, ignores: [...(block.ignores ?? []), ...devOnly] } : block,
	),
	...tseslint.config({
		files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	}),
	{
		files: ['test/**/*.{js,cjs,mjs}', 'scripts/**/*.{js,cjs,mjs}', 'bench/**/*.{js,cjs,mjs}', '*.config.js'],
		...js.configs.recommended,
		languageOptions: { globals: { ...globals.node, ...globals.jest }, ecmaVersion: 2023 },
	},
];
