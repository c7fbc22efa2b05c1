/* The Bitrix24 CRM Trigger's poll() on n8n-core: scheduled polls through n8n-core's PollContext in trigger mode
 * (test/harness/pollNode), an editor test run on WorkflowExecute (test/harness/runWorkflow, manual mode), both
 * against the Bitrix24 fake, whose clock the test moves. */
import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { pollNode } from '../../harness/pollNode';
import { runWorkflow, type HarnessCredential } from '../../harness/runWorkflow';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const NAME = 'Bitrix24 CRM Trigger';
const SPA = 1030;
const SECOND = 1000;

let fake: any;
let clock: number;
const realSleep = transportClock.sleep;
const sleeps: number[] = [];

beforeEach(async () => {
	clock = Date.UTC(2026, 11, 3, 9, 0, 0);
	fake = createBitrix24Fake({ rateLimit: null, now: () => clock });
	await fake.start();
	sleeps.length = 0;
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
	};
});

afterEach(async () => {
	transportClock.sleep = realSleep;
	await fake.stop();
});

function credentials(): Record<string, HarnessCredential> {
	return { portal: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl, rateLimit: 'custom', requestsPerSecond: 1000, burst: 1000 } } };
}

const node = (parameters: IDataObject) => ({
	name: NAME,
	type: 'bitrix24CrmTrigger',
	parameters: { entityTypeId: SPA, ...parameters },
	credentials: { bitrix24InboundWebhookApi: 'portal' },
});

/** One scheduled poll; `staticData` is kept by the caller as n8n keeps it. */
async function poll(staticData: IDataObject, parameters: IDataObject = {}) {
	return await pollNode({ node: node(parameters), credentials: credentials(), staticData });
}

const cursorOf = (staticData: IDataObject) => (staticData[`node:${NAME}`] as IDataObject | undefined)?.cursor as IDataObject | undefined;

test('scheduled polls: the first skips the backlog, then each change comes once, with the chosen fields', async () => {
	for (let n = 0; n < 80; n++) fake.addCrmItem(SPA, { title: `old ${n}`, stageId: 'NEW', ufCrm5Code: `C${n}` });
	const staticData: IDataObject = {};
	expect(await poll(staticData)).toEqual([]);
	expect(cursorOf(staticData)).toMatchObject({ readFrom: '2026-12-03T12:00:00+03:00' });

	clock += 90 * SECOND;
	fake.updateCrmItem(SPA, 7, { stageId: 'WON' });
	fake.addCrmItem(SPA, { title: 'fresh', stageId: 'NEW', ufCrm5Code: 'X' });
	const parameters = { options: { select: 'title, stageId' } };
	const first = await poll(staticData, parameters);
	expect(first).toEqual([
		{ id: 7, updatedTime: '2026-12-03T12:01:30+03:00', title: 'old 6', stageId: 'WON' },
		{ id: 81, updatedTime: '2026-12-03T12:01:30+03:00', title: 'fresh', stageId: 'NEW' },
	]);
	expect(cursorOf(staticData)).toMatchObject({ updatedTime: '2026-12-03T12:01:30+03:00', id: 81, readFrom: '2026-12-03T12:00:30+03:00' });

	clock += 20 * SECOND;
	const before = JSON.stringify(staticData);
	expect(await poll(staticData, parameters)).toEqual([]);
	expect(JSON.stringify(staticData)).toBe(before);

	// A filter narrows the changes; the filter's own updatedTime bounds are the trigger's.
	fake.updateCrmItem(SPA, 8, { stageId: 'WON' });
	fake.updateCrmItem(SPA, 9, { stageId: 'LOSE' });
	const won = await poll(staticData, { options: { filter: '{"stageId": "WON", ">=updatedTime": "2000-01-01T00:00:00+00:00"}' } });
	expect(won.map((item) => item.id)).toEqual([8]);
	expect(sleeps).toEqual([]);
});

test('an editor test run shows records and leaves the cursor; the next scheduled poll still emits the change', async () => {
	for (let n = 0; n < 12; n++) {
		fake.addCrmItem(SPA, { title: `deal ${n}` });
		clock += SECOND;
	}
	const staticData: IDataObject = {};
	const manual = async () => {
		const run = await runWorkflow({ nodes: [node({})], connections: [NAME], credentials: credentials(), staticData });
		const error = run.error ?? run.nodeError(NAME);
		if (error) throw error;
		return run.output(NAME);
	};
	// Never activated: the 10 latest, newest first; nothing is stored.
	expect((await manual()).map((item) => item.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
	expect(cursorOf(staticData)).toBeUndefined();

	expect(await poll(staticData)).toEqual([]);
	const stored = JSON.stringify(staticData);
	clock += 5 * SECOND;
	fake.updateCrmItem(SPA, 4, { title: 'edited' });
	expect((await manual()).map((item) => [item.id, item.title])).toEqual([[4, 'edited']]);
	expect(JSON.stringify(staticData)).toBe(stored);
	expect((await poll(staticData)).map((item) => item.id)).toEqual([4]);
});

test('limits inside the paging batch are waited out; a bad filter and a refused webhook fail naming the cause, never the code', async () => {
	const staticData: IDataObject = {};
	await poll(staticData);
	clock += 5 * SECOND;
	for (let n = 0; n < 120; n++) fake.addCrmItem(SPA, { title: `burst ${n}` });
	fake.failCommand({ key: 'tie', error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
	const burst = await poll(staticData);
	expect(burst.map((item) => item.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
	expect(sleeps.length).toBeGreaterThan(0);

	await expect(poll(staticData, { options: { filter: '{"stageId": ' } })).rejects.toThrow(/"Filter" is not valid JSON/);

	const wrong = { portal: { type: 'bitrix24InboundWebhookApi', data: { ...credentials().portal.data, webhookSecretUrl: `${fake.baseUrl}/rest/1/wrongcode9876/` } } };
	const failure = await pollNode({ node: node({}), credentials: wrong, staticData: {} }).then(
		() => undefined,
		(error: Error & { description?: string }) => error,
	);
	expect(failure?.message).toMatch(/NO_AUTH_FOUND|401|Authorization/i);
	expect(`${failure?.message} ${failure?.description ?? ''}`).not.toContain('wrongcode9876');
});

test('the Entity Type picker: a portal link names the type; a link that names none fails by name', async () => {
	const link = { __rl: true, mode: 'url', value: `https://example.bitrix24.com/crm/type/${SPA}/list/category/0/` };
	const staticData: IDataObject = {};
	expect(await poll(staticData, { entityTypeId: link })).toEqual([]);
	clock += 5 * SECOND;
	fake.addCrmItem(SPA, { title: 'by link' });
	expect((await poll(staticData, { entityTypeId: link })).map((item) => item.title)).toEqual(['by link']);
	const picked = { __rl: true, mode: 'list', value: String(SPA) };
	clock += 5 * SECOND;
	fake.addCrmItem(SPA, { title: 'from list' });
	expect((await poll(staticData, { entityTypeId: picked })).map((item) => item.title)).toEqual(['from list']);
	await expect(poll({}, { entityTypeId: { __rl: true, mode: 'url', value: 'https://example.bitrix24.com/company/personal/' } })).rejects.toThrow(
		/Entity Type: ".*" is not an entityTypeId/,
	);
});
