/* The Grist fake's document webhooks, as grist-core 1.7.17 has them: the CRUD endpoints and their checks
 * (watchedColIds, ignored columnIds, ALLOWED_WEBHOOK_DOMAINS), and deliveries (one event per changed row, add versus
 * update with a ready column, watched columns, batches of a JSON array with the Authorization header, retries). */
import * as http from 'node:http';

const { createGristFake } = require('../../fakes/grist.cjs');
const { isUrlAllowed } = require('../../fakes/gristWebhooks.cjs');

export {};

const KEY = 'grist-test-key';

interface Received {
	headers: http.IncomingHttpHeaders;
	body: any;
}

/** A receiver that answers the statuses it is given, in turn, then 200. */
async function startReceiver(statuses: number[] = []) {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.statusCode = statuses.shift() ?? 200;
			res.end('');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('grist fake: webhooks', () => {
	let fake: any;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;

	async function call(method: string, path: string, body?: unknown) {
		const response = await fetch(`${fake.apiBaseUrl}${path}`, {
			method,
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	}

	async function register(fields: Record<string, unknown>) {
		const answer = await call('POST', '/docs/doc1/webhooks', {
			webhooks: [{ fields: { url: receiver.url, tableId: 'Tasks', eventTypes: ['add', 'update'], ...fields } }],
		});
		expect(answer.status).toBe(200);
		return answer.body.webhooks[0].id as string;
	}

	const addRows = (records: Array<Record<string, unknown>>) =>
		call('POST', '/docs/doc1/tables/Tasks/records', { records: records.map((fields) => ({ fields })) });
	const patchRows = (records: Array<{ id: number; fields: Record<string, unknown> }>) =>
		call('PATCH', '/docs/doc1/tables/Tasks/records', { records });
	const sent = () => receiver.received.flatMap((delivery) => delivery.body);

	async function startFake(options: Record<string, unknown> = {}) {
		fake = await createGristFake({
			apiKey: KEY,
			allowedWebhookDomains: '*',
			webhookRetryDelayMs: 5,
			seed: {
				docs: [
					{
						id: 'doc1',
						tables: [
							{
								id: 'Tasks',
								columns: [
									{ id: 'Name', fields: { type: 'Text' } },
									{ id: 'Status', fields: { type: 'Text' } },
									{ id: 'Tags', fields: { type: 'ChoiceList' } },
									{ id: 'Ready', fields: { type: 'Bool' } },
								],
							},
						],
					},
				],
			},
			...options,
		}).start();
	}

	beforeEach(async () => {
		receiver = await startReceiver();
		await startFake();
	});
	afterEach(async () => {
		await fake.stop();
		await receiver.stop();
	});

	test('POST registers, GET lists with authorization and usage, PATCH changes, DELETE removes', async () => {
		const id = await register({ authorization: 'Bearer abc', watchedColIds: ['$Status'], name: 'mine' });
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		const listed = await call('GET', '/docs/doc1/webhooks');
		expect(listed.body.webhooks).toEqual([
			{
				id,
				fields: expect.objectContaining({
					url: receiver.url,
					authorization: 'Bearer abc',
					tableId: 'Tasks',
					eventTypes: ['add', 'update'],
					watchedColIds: ['Status'],
					isReadyColumn: null,
					enabled: true,
					name: 'mine',
					unsubscribeKey: expect.any(String),
				}),
				usage: expect.objectContaining({ numWaiting: 0, status: 'idle' }),
			},
		]);
		expect(await call('PATCH', `/docs/doc1/webhooks/${id}`, { isReadyColumn: 'Ready' })).toEqual({ status: 200, body: { success: true } });
		expect(fake.webhooks('doc1')[0].fields.isReadyColumn).toBe('Ready');
		expect(await call('DELETE', `/docs/doc1/webhooks/${id}`)).toEqual({ status: 200, body: { success: true } });
		expect((await call('GET', '/docs/doc1/webhooks')).body).toEqual({ webhooks: [] });
		expect(await call('DELETE', `/docs/doc1/webhooks/${id}`)).toEqual({ status: 404, body: { error: `Webhook not found "${id}"` } });
		expect((await call('PATCH', `/docs/doc1/webhooks/${id}`, { enabled: false })).status).toBe(404);
	});

	test('columnIds is ignored (the webhook then fires on every column), watchedColIds is checked', async () => {
		await register({ columnIds: ['Status'] });
		expect(fake.webhooks('doc1')[0].fields.watchedColIds).toEqual([]);
		expect(await call('POST', '/docs/doc1/webhooks', { webhooks: [{ fields: { url: receiver.url, tableId: 'Tasks', eventTypes: ['add'], watchedColIds: ['Nope'] } }] })).toEqual({
			status: 404,
			body: { error: 'Column not found "Nope"' },
		});
		const bad = [
			[{ url: receiver.url, tableId: 'Tasks', eventTypes: [] }, 400, 'eventTypes must be a non-empty array'],
			[{ url: receiver.url, tableId: 'Tasks', eventTypes: ['remove'] }, 400, 'Invalid payload'],
			[{ url: receiver.url, tableId: 'Nope', eventTypes: ['add'] }, 404, 'Table not found "Nope"'],
			[{ url: receiver.url, tableId: 'Tasks', eventTypes: ['add'], isReadyColumn: 'Nope' }, 404, 'Column not found "Nope"'],
			[{ tableId: 'Tasks', eventTypes: ['add'] }, 400, 'Invalid payload'],
		] as const;
		for (const [fields, status, error] of bad) {
			const answer = await call('POST', '/docs/doc1/webhooks', { webhooks: [{ fields }] });
			expect([answer.status, answer.body.error]).toEqual([status, error]);
		}
		expect(fake.webhooks('doc1')).toHaveLength(1);
	});

	test('ALLOWED_WEBHOOK_DOMAINS: unset refuses every URL with 403', async () => {
		await fake.stop();
		await startFake({ allowedWebhookDomains: undefined });
		const answer = await call('POST', '/docs/doc1/webhooks', { webhooks: [{ fields: { url: receiver.url, tableId: 'Tasks', eventTypes: ['add'] } }] });
		expect(answer).toEqual({ status: 403, body: { error: 'Provided url is forbidden' } });
		fake.allowWebhookDomains(new URL(receiver.url).host);
		// Plain http passes only for the host name localhost, whatever the list says.
		expect((await call('POST', '/docs/doc1/webhooks', { webhooks: [{ fields: { url: receiver.url, tableId: 'Tasks', eventTypes: ['add'] } }] })).status).toBe(403);
	});

	test('isUrlAllowed as grist-core has it', () => {
		expect(isUrlAllowed(undefined, 'https://n8n.example.org/webhook/x')).toBe(false);
		expect(isUrlAllowed('example.org', 'https://n8n.example.org/webhook/x')).toBe(true);
		expect(isUrlAllowed('example.org', 'https://badexample.org/webhook/x')).toBe(false);
		// The host includes a non-default port.
		expect(isUrlAllowed('example.org', 'https://n8n.example.org:8443/x')).toBe(false);
		expect(isUrlAllowed('n8n.example.org:8443', 'https://n8n.example.org:8443/x')).toBe(true);
		expect(isUrlAllowed('example.org', 'http://n8n.example.org/x')).toBe(false);
		expect(isUrlAllowed('localhost:5678', 'http://localhost:5678/x')).toBe(true);
		expect(isUrlAllowed('*', 'http://127.0.0.1:5678/x')).toBe(true);
		expect(isUrlAllowed('*', 'ftp://example.org/x')).toBe(false);
	});

	test('a write delivers its rows in one batch: a JSON array of whole records, with the Authorization header', async () => {
		await register({ authorization: 'Bearer s3cret' });
		await addRows([
			{ Name: 'a', Tags: ['L', 'x', 'y'] },
			{ Name: 'b', Tags: null },
		]);
		await fake.webhooksIdle();
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].headers.authorization).toBe('Bearer s3cret');
		expect(receiver.received[0].headers['content-type']).toBe('application/json');
		expect(receiver.received[0].body).toEqual([
			{ id: 1, manualSort: 1, Name: 'a', Status: '', Tags: ['L', 'x', 'y'], Ready: false },
			{ id: 2, manualSort: 2, Name: 'b', Status: '', Tags: null, Ready: false },
		]);
	});

	test('without authorization no header is sent; more than 100 events make several batches', async () => {
		await register({});
		await addRows(Array.from({ length: 150 }, (_, i) => ({ Name: `row ${i}` })));
		await fake.webhooksIdle();
		expect(receiver.received.map((delivery) => delivery.body.length)).toEqual([100, 50]);
		expect(receiver.received[0].headers.authorization).toBeUndefined();
	});

	test('update events: only changed rows, only when a watched column changed; deletions fire nothing', async () => {
		await addRows([{ Name: 'a' }, { Name: 'b' }]);
		await register({ eventTypes: ['update'], watchedColIds: ['Status'] });
		await patchRows([
			{ id: 1, fields: { Name: 'a2' } },
			{ id: 2, fields: { Name: 'b' } },
		]);
		await patchRows([{ id: 2, fields: { Status: 'done' } }]);
		await call('POST', '/docs/doc1/tables/Tasks/records/delete', [1]);
		await addRows([{ Name: 'c', Status: 'new' }]);
		await fake.webhooksIdle();
		expect(sent()).toEqual([expect.objectContaining({ id: 2, Status: 'done' })]);
	});

	test('a ready column: a row is sent as an "add" when it becomes ready, later changes are updates', async () => {
		await register({ eventTypes: ['add'], isReadyColumn: 'Ready' });
		await addRows([{ Name: 'draft' }, { Name: 'ready at once', Ready: true }]);
		await patchRows([{ id: 1, fields: { Ready: true } }]);
		// Ready already: an update, which this add-only webhook does not send.
		await patchRows([{ id: 1, fields: { Status: 'changed' } }]);
		await fake.webhooksIdle();
		expect(sent().map((record: any) => record.id)).toEqual([2, 1]);
		await fake.stop();
		receiver.received.length = 0;
		await startFake();
		await register({ eventTypes: ['update'], isReadyColumn: 'Ready' });
		await addRows([{ Name: 'x', Ready: true }]);
		await patchRows([{ id: 1, fields: { Status: 'changed' } }]);
		await patchRows([{ id: 1, fields: { Ready: false } }]);
		await fake.webhooksIdle();
		// The row's update is sent; unsetting Ready is not (only rows where it is true are).
		expect(sent()).toEqual([expect.objectContaining({ id: 1, Status: 'changed', Ready: true })]);
	});

	test('a failing receiver gets the same batch again until it answers 2xx', async () => {
		await receiver.stop();
		receiver = await startReceiver([500, 503]);
		await register({ authorization: 'Bearer s3cret' });
		await addRows([{ Name: 'a' }]);
		await fake.webhooksIdle();
		expect(receiver.received).toHaveLength(3);
		expect(receiver.received.every((delivery) => delivery.headers.authorization === 'Bearer s3cret')).toBe(true);
		expect(receiver.received.map((delivery) => delivery.body)).toEqual([0, 1, 2].map(() => [expect.objectContaining({ id: 1, Name: 'a' })]));
		expect(fake.webhookDeliveries().map((entry: any) => [entry.attempt, entry.status])).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		const usage = (await call('GET', '/docs/doc1/webhooks')).body.webhooks[0].usage;
		expect(usage).toMatchObject({ numWaiting: 0, status: 'idle', lastHttpStatus: 200, lastEventBatch: { status: 'success', attempts: 3, size: 1 } });
	});

	test('after the last attempt a batch is postponed to the end of the queue, and a refused connection counts as a failure', async () => {
		await fake.stop();
		await startFake({ webhookMaxAttempts: 2 });
		const url = receiver.url;
		await receiver.stop();
		const id = await register({ url });
		await addRows([{ Name: 'a' }]);
		// Four attempts: two, postponed, two more; the receiver is down throughout.
		const settled = () => fake.webhookDeliveries().filter((entry: any) => entry.error || entry.status).length;
		for (let i = 0; i < 500 && settled() < 4; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(fake.webhookDeliveries().slice(0, 4).map((entry: any) => [entry.attempt, Boolean(entry.error)])).toEqual([
			[1, true],
			[2, true],
			[1, true],
			[2, true],
		]);
		// Deleting the webhook drops its queued events.
		await call('DELETE', `/docs/doc1/webhooks/${id}`);
		await fake.webhooksIdle();
		expect(fake.queuedWebhookEvents()).toBe(0);
		receiver = await startReceiver();
	});
});
