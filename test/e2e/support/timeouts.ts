/**
 * Every e2e test and hook (beforeAll boots n8n, which takes minutes on a loaded machine) gets a generous limit,
 * scaled by E2E_TIME_SCALE like every wait of the n8n runtime (scripts/lib/time-scale.cjs). Waits inside the tests
 * poll for their condition, so the limit only matters when something is really stuck.
 */
import * as path from 'node:path';

const { scaled } = require(path.resolve(__dirname, '..', '..', '..', 'scripts/lib/time-scale.cjs'));

jest.setTimeout(scaled(15 * 60_000));
