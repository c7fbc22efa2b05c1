'use strict';
/**
 * MariaDB in the demo: a private mariadbd (scripts/lib/mariadb.cjs) when Debian's mariadb-server is installed, with
 * the tables of workflows/*.sql, and its MySQL credential. Optional: without it the demo runs, minus the workflows
 * that write to it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MARIADB_PORT = 5710;

/** workflows/*.sql (tables a bundled workflow writes to) applied to the demo database. */
function applySchemas(mariadb, say) {
	const dir = path.join(REPO_ROOT, 'workflows');
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.sql')).sort() : [];
	for (const file of files) {
		const result = spawnSync('mariadb', ['--no-defaults', `--socket=${mariadb.socket}`, '-uroot', mariadb.database], {
			input: fs.readFileSync(path.join(dir, file), 'utf8'),
			encoding: 'utf8',
		});
		say(result.status === 0 ? `MariaDB: applied workflows/${file}` : `MariaDB: workflows/${file} failed: ${result.stderr.trim()}`);
	}
}

module.exports = {
	key: 'mariadb',
	service: {
		port: MARIADB_PORT,
		optional: true,
		/** Not a fake: a real server. Resolves a handle with stop(); throws when mariadbd is not installed. */
		async start({ port, say }) {
			const { startMariaDb, ensureMariaDb } = require('../../mariadb.cjs');
			ensureMariaDb();
			const mariadb = await startMariaDb({ port, database: 'demo', user: 'n8n', password: 'demo-mariadb-password' });
			applySchemas(mariadb, say);
			return mariadb;
		},
		whyMissing: () => `the Bitrix24 → MariaDB workflow needs it: ${require('../../mariadb.cjs').INSTALL_HINT}`,
		banner: (mariadb) => `    mariadb     127.0.0.1:${mariadb.port}  database ${mariadb.database}, user ${mariadb.user} / ${mariadb.password}`,
		bannerMissing: '    mariadb     not running',
	},
	credentials: {
		mySql: {
			id: 'mariadbDemo0001',
			name: 'MariaDB (demo)',
			fake: 'mariadb',
			data: ({ mariadb }) => ({
				host: mariadb.host,
				port: mariadb.port,
				database: mariadb.database,
				user: mariadb.user,
				password: mariadb.password,
			}),
		},
	},
	MARIADB_PORT,
};
