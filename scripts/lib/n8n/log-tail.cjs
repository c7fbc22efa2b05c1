'use strict';
/** The last lines of n8n's output, for error messages. */
const LOG_TAIL_LINES = 60;

function tail(text, lines = LOG_TAIL_LINES) {
	return String(text).split('\n').slice(-lines).join('\n');
}

module.exports = { tail, LOG_TAIL_LINES };
