'use strict';
/**
 * One knob for slow machines: E2E_TIME_SCALE multiplies every readiness wait of the n8n runtime (n8n booting, a
 * webhook registering, a CLI command, a run finishing) and every e2e time limit (jest hooks and tests included).
 * Default 1; e.g. E2E_TIME_SCALE=3 on a shared CI machine whose load is far above its core count. The waits poll
 * for their condition, so a larger scale only costs time when something is really stuck.
 */
function timeScale(env = process.env) {
	const raw = env.E2E_TIME_SCALE;
	if (raw === undefined || raw.trim() === '') return 1;
	const scale = Number(raw);
	if (!Number.isFinite(scale) || scale <= 0) throw new Error(`E2E_TIME_SCALE must be a number above 0, not "${raw}"`);
	return scale;
}

/** `ms` times E2E_TIME_SCALE. */
function scaled(ms, env = process.env) {
	return Math.round(ms * timeScale(env));
}

module.exports = { timeScale, scaled };
