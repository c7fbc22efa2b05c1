'use strict';
/**
 * Jest runs test code in its own realm, so an fs error thrown by Node fails `error instanceof Error` in n8n-core's
 * file helpers (ensureParentDirectoryWithoutFollowingSymlinks then rethrows EEXIST instead of ignoring it).
 * Sharing the host's Error constructors restores what the same code sees inside n8n.
 */
const { TestEnvironment } = require('jest-environment-node');

class HostErrorsEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		for (const name of ['Error', 'TypeError', 'RangeError', 'SyntaxError']) this.global[name] = globalThis[name];
	}
}

module.exports = HostErrorsEnvironment;
