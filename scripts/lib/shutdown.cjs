'use strict';
/**
 * The stop path shared by `npm start` and `npm run dev`: Ctrl+C (SIGINT) or SIGTERM, a failed start, or n8n exiting on
 * its own all run the registered cleanups once, in order, then exit.
 *
 *   const shutdown = createShutdown('start');
 *   shutdown.onStop(() => stack?.stop());
 *   shutdown.run(main);                     // main's error is printed, then everything stops with exit code 1
 *   shutdown.watchServer(stack.server);     // n8n exiting on its own stops everything (exit 1)
 */
function createShutdown(name) {
	const say = (message) => process.stdout.write(`[${name}] ${message}\n`);
	const cleanups = [];
	let stopping = false;

	async function stopAll(code) {
		if (stopping) return;
		stopping = true;
		say('stopping…');
		for (const cleanup of cleanups) {
			try {
				await cleanup();
			} catch (error) {
				say(`while stopping: ${error.message}`);
			}
		}
		say('stopped');
		process.exit(code);
	}
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));

	return {
		say,
		get stopping() {
			return stopping;
		},
		onStop(cleanup) {
			cleanups.push(cleanup);
		},
		stopAll,
		watchServer(server) {
			server.exited.then(() => {
				if (stopping) return;
				say(`n8n exited on its own; last output:\n${server.logTail(30)}`);
				void stopAll(1);
			});
		},
		run(main) {
			main().catch(async (error) => {
				process.stderr.write(`[${name}] ${error.message}\n`);
				await stopAll(1);
			});
		},
	};
}

module.exports = { createShutdown };
