'use strict';
/**
 * Runs the Grist fake in a process of its own, as a real Grist server would be, so that the client under test
 * and the server do not share one CPU and one heap. The parent drives it over IPC:
 *   const fake = await startGristFakeProcess(); await fake.call('freshTable', {...}); await fake.stop();
 */
const path = require('node:path');
const { fork } = require('node:child_process');

function serve() {
	const { createGristFake } = require(path.join(__dirname, '..', '..', 'test', 'fakes', 'grist.cjs'));
	const fake = createGristFake();
	const commands = {
		freshTable({ docId, tableId, columns, latencyMs = 0, costModel }) {
			fake.reset();
			fake.seed({ docs: [{ id: docId, tables: [{ id: tableId, columns }] }] });
			fake.setFaults({ latencyMs });
			fake.setCostModel(costModel);
			fake.clearLog();
		},
		traffic() {
			return {
				requests: fake.log.length,
				bodyBytes: fake.log.reduce((sum, entry) => sum + Buffer.byteLength(entry.rawBody || '', 'utf8'), 0),
			};
		},
		records({ docId, tableId }) {
			return fake.records(docId, tableId);
		},
	};
	process.on('message', async ({ id, command, args }) => {
		try {
			process.send({ id, result: await commands[command](args || {}) });
		} catch (error) {
			process.send({ id, error: error.message });
		}
	});
	fake.start().then(() => process.send({ ready: true, baseUrl: fake.baseUrl, apiKey: fake.apiKey }));
}

function startGristFakeProcess() {
	const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const pending = new Map();
	let nextId = 1;
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.on('message', (message) => {
			if (message.ready) {
				resolve({
					baseUrl: message.baseUrl,
					apiKey: message.apiKey,
					call(command, args) {
						const id = nextId++;
						return new Promise((done, fail) => {
							pending.set(id, { done, fail });
							child.send({ id, command, args });
						});
					},
					stop() {
						child.kill();
					},
				});
				return;
			}
			const waiter = pending.get(message.id);
			if (!waiter) return;
			pending.delete(message.id);
			if (message.error) waiter.fail(new Error(message.error));
			else waiter.done(message.result);
		});
	});
}

if (require.main === module && process.argv.includes('--serve')) serve();

module.exports = { startGristFakeProcess };
