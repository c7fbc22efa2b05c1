// Installs (once) the pinned Node 24 + n8n into the git-ignored cache and prints the n8n bin path.
// Run it with `node scripts/ensure-n8n.mjs`; `npm run test:e2e`, `npm start` and `npm run dev` call it first.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ensureN8n } = require('./lib/n8n-install.cjs');

try {
	const { N8N_BIN, NODE_BIN } = ensureN8n();
	process.stderr.write(`[ensure-n8n] run it as: ${NODE_BIN} ${N8N_BIN}\n`);
	process.stdout.write(`${N8N_BIN}\n`);
} catch (error) {
	process.stderr.write(`[ensure-n8n] ${error.message}\n`);
	process.exit(1);
}
