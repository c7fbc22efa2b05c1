// `npm run bench -- <name>` runs bench/<name>.mjs|.cjs|.js in its own process; the bench's last line is its figure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(here)
	.filter((file) => /\.(mjs|cjs|js)$/.test(file) && file !== 'run.mjs')
	.map((file) => file.replace(/\.(mjs|cjs|js)$/, ''));

if (!name) {
	console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
	process.exit(2);
}
const script = ['mjs', 'cjs', 'js'].map((ext) => join(here, `${name}.${ext}`)).find((file) => existsSync(file));
if (!script) {
	console.error(`no bench named "${name}" (available: ${available.join(', ') || 'none'})`);
	process.exit(2);
}
const child = spawn(process.execPath, [script, ...rest], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
