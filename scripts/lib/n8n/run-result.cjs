'use strict';
/** Reading a run (IRun JSON): from `n8n execute` output (small runs only), its first error, a node's items. */

/**
 * The JSON that `n8n execute` prints through its logger after some log lines. A large run prints megabytes in one
 * write that other processes' lines can cut into: read large runs through the server (server.runManually) instead.
 */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start < 0) return undefined;
	const rest = lines.slice(start);
	for (let end = rest.length; end > 0; end -= 1) {
		if (!rest[end - 1].trimEnd().endsWith('}')) continue;
		try {
			return JSON.parse(rest.slice(0, end).join('\n'));
		} catch {
			// a log line after the JSON also ends with '}': keep shrinking
		}
	}
	return undefined;
}

/** The first error n8n recorded in a run: the node that failed and its message. */
function runError(run) {
	const error = run?.data?.resultData?.error;
	if (error) return { node: error.node?.name, message: error.message, description: error.description };
	for (const [node, tasks] of Object.entries(run?.data?.resultData?.runData ?? {})) {
		for (const task of tasks) {
			if (task.error) return { node, message: task.error.message, description: task.error.description };
		}
	}
	return undefined;
}

/** The items a node output in its first run (main output `output`). */
function nodeOutput(run, nodeName, output = 0) {
	const tasks = run?.data?.resultData?.runData?.[nodeName];
	if (!tasks) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run?.data?.resultData?.runData ?? {})}`);
	return (tasks[0].data?.main?.[output] ?? []).map((item) => item.json);
}

/** The statuses an execution ends in. `new` (queued, not started) and `waiting` are not finished. */
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** Whether an execution (public API or REST shape) has ended: its data is then final. */
function isFinished(execution) {
	return Boolean(execution?.finished || FINISHED.includes(execution?.status));
}

module.exports = { parseRunOutput, runError, nodeOutput, FINISHED, isFinished };
