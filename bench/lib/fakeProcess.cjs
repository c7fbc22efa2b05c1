'use strict';
/**
 * Runs one loopback fake in its own process, as a real service runs on its own machine: its heap, its
 * seeding garbage and its JSON encoding then do not pause the client being measured.
 *
 * In the bench:   const fake = await startFakeProcess('bitrix24', 'createBitrix24Fake', options);
 *                 fake.info (what the fake exposes: baseUrl, webhookUrl…), fake.control(path, method, body)
 *                 → the /__fake/* endpoints, fake.stop().
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

if (require.main === module) {
	const [fakeName, factory, optionsJson] = process.argv.slice(2);
	const module_ = require(path.join(__dirname, '..', '..', 'test', 'fakes', `${fakeName}.cjs`));
	const fake = module_[factory](JSON.parse(optionsJson || '{}'));
	fake.start().then(() => {
		const info = {};
		for (const key of ['baseUrl', 'webhookUrl', 'apiKey', 'code', 'userId']) if (fake[key] !== undefined) info[key] = fake[key];
		process.stdout.write(`${JSON.stringify(info)}\n`);
	});
	process.on('SIGTERM', () => fake.stop().then(() => process.exit(0)));
} else {
	module.exports.startFakeProcess = function startFakeProcess(fakeName, factory, options) {
		return new Promise((resolve, reject) => {
			const child = spawn(process.execPath, [__filename, fakeName, factory, JSON.stringify(options)], {
				stdio: ['ignore', 'pipe', 'inherit'],
			});
			let buffered = '';
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`fake ${fakeName} exited with ${code}`)));
			child.stdout.on('data', (chunk) => {
				buffered += chunk;
				const newline = buffered.indexOf('\n');
				if (newline === -1) return;
				const info = JSON.parse(buffered.slice(0, newline));
				child.removeAllListeners('exit');
				resolve({
					info,
					pid: child.pid,
					async control(route, method = 'GET', body) {
						const response = await fetch(`${info.baseUrl}/__fake/${route}`, {
							method,
							headers: body === undefined ? {} : { 'content-type': 'application/json' },
							body: body === undefined ? undefined : JSON.stringify(body),
						});
						const text = await response.text();
						return text ? JSON.parse(text) : undefined;
					},
					stop() {
						return new Promise((done) => {
							child.once('exit', () => done());
							child.kill('SIGTERM');
						});
					},
				});
			});
		});
	};
}
