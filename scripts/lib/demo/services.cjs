'use strict';
/** Starting the demo services: each fake of test/fakes/ with its demo data, and any other server a part starts. */
const fs = require('node:fs');
const path = require('node:path');
const { SERVICES } = require('./registry.cjs');

const FAKES_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'fakes');

/** The services that can run here: a fake only once its file exists (fakes land one by one). */
function availableServices() {
	return SERVICES.filter((service) => service.start || fs.existsSync(path.join(FAKES_DIR, `${service.key}.cjs`)));
}

/** Starts one fake on its fixed port (or a free one) and gives it its demo data. */
async function startDemoFake(service, { freePort = false } = {}) {
	const module = require(path.join(FAKES_DIR, `${service.key}.cjs`));
	const fake = module[service.factory](service.options ?? {});
	await fake.start(freePort ? 0 : service.port, '127.0.0.1');
	if (typeof fake.seedDemo === 'function') fake.seedDemo();
	else service.seed?.(fake);
	return fake;
}

/**
 * Starts every available service. Resolves {services: key → handle, started: [handles, in start order]}. A fake that
 * cannot start stops the demo; an optional service that cannot start is reported with `say` and left out.
 */
async function startDemoServices({ freePorts = false, say, started = [] }) {
	const services = {};
	for (const service of availableServices()) {
		try {
			const handle = service.start
				? await service.start({ port: freePorts ? undefined : service.port, say })
				: await startDemoFake(service, { freePort: freePorts });
			started.push(handle);
			services[service.key] = handle;
		} catch (error) {
			if (!service.optional) throw new Error(`could not start the ${service.key} service on 127.0.0.1:${service.port}: ${error.message}`);
			say(`${service.key} not started: ${error.message.split('\n')[0]}`);
			if (service.whyMissing) say(service.whyMissing());
		}
	}
	return services;
}

module.exports = { FAKES_DIR, availableServices, startDemoFake, startDemoServices };
