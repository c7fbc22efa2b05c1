'use strict';
/**
 * Lets a bench `require()` the package's TypeScript sources (nodes, test harness) without `npm run build`,
 * which would wipe dist/ under other people's feet. Each .ts file is transpiled on load with the project's
 * own `typescript` (no type check; `npx tsc` does that), to CommonJS like tsconfig.json.
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2020,
	esModuleInterop: true,
	resolveJsonModule: true,
	experimentalDecorators: true,
	emitDecoratorMetadata: true,
	sourceMap: false,
	inlineSourceMap: false,
};

if (!require.extensions['.ts']) {
	require.extensions['.ts'] = (module, filename) => {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
		module._compile(outputText, filename);
	};
}

module.exports = {};
