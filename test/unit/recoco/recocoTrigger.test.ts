import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { RecocoTrigger } from '../../../nodes/Recoco/RecocoTrigger.node';

const SECRET = 'recoco-shared-secret-1';

function pythonBody(event: IDataObject): string {
	// Python json.dumps spacing and ASCII escapes, as django-webhook sends.
	return JSON.stringify(event)
		.replace(/":/g, '": ')
		.replace(/,"/g, ', "')
		.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sign(body: string, timestamp: number, secret = SECRET): string {
	return createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('hex');
}

interface Delivery {
	body: string;
	headers: Record<string, string>;
}

function delivery(event: IDataObject, { timestamp = Math.floor(Date.now() / 1000), secret = SECRET } = {}): Delivery {
	const body = pythonBody(event);
	return {
		body,
		headers: {
			'content-type': 'application/json',
			'django-webhook-request-timestamp': String(timestamp),
			'django-webhook-signature-v1': sign(body, timestamp, secret),
			'django-webhook-uuid': '6f1c7a8e-2b1d-4a3e-9c55-0d7f3e2a1b90',
		},
	};
}

let workflowCounter = 0;

/** The Express response n8n hands the trigger: status/json/set, and 'finish'/'close' once n8n answers (lastNode). */
class FakeResponse extends EventEmitter {
	statusCode = 200;
	headers: Record<string, string> = {};
	constructor(private readonly sent: Array<{ status: number; body: unknown; headers?: Record<string, string> }>) {
		super();
	}
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	set(name: string, value: string) {
		this.headers[name] = value;
		return this;
	}
	json(body: unknown) {
		this.sent.push({ status: this.statusCode, body, ...(Object.keys(this.headers).length ? { headers: this.headers } : {}) });
		return this;
	}
	/** n8n answering the delivery after the run: 200 when it succeeded, 500 when it failed. */
	answer(status: number) {
		this.statusCode = status;
		this.emit('finish');
		this.emit('close');
	}
	/** The client hung up before n8n answered. */
	hangUp() {
		this.emit('close');
	}
}

/** One trigger node of one workflow (its own ledger); `receive` runs webhook() for a delivery. */
function harness(parameters: IDataObject = {}) {
	const staticData: IDataObject = {};
	const responses: Array<{ status: number; body: unknown; headers?: Record<string, string> }> = [];
	const runs: FakeResponse[] = [];
	const trigger = new RecocoTrigger();
	const workflowId = `wf-${(workflowCounter += 1)}`;
	const receive = async (request: Delivery) => {
		const response = new FakeResponse(responses);
		const context = {
			getCredentials: async () => ({ secret: SECRET }),
			getNodeParameter: (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
			getWorkflowStaticData: () => staticData,
			getWorkflow: () => ({ id: workflowId }),
			getNode: () => ({ id: 'node-1', name: 'Recoco events' }),
			getRequestObject: () => ({ rawBody: Buffer.from(request.body, 'utf8') }),
			getHeaderData: () => request.headers,
			getResponseObject: () => response,
		} as unknown as IWebhookFunctions;
		const result = await trigger.webhook.call(context);
		if (result.workflowData) runs.push(response);
		return result;
	};
	return { receive, responses, staticData, runs };
}

const projectEvent = {
	topic: 'projects.Project/update',
	object: { id: 42, name: 'Pôle Santé', tags: ['les-communs'], advisors_note: null },
	object_type: 'projects.Project',
	webhook_uuid: '6f1c7a8e-2b1d-4a3e-9c55-0d7f3e2a1b90',
};

describe('Recoco Trigger webhook', () => {
	it('declares lastNode (answers when the run ended: 500 when it failed, so Recoco retries) with an empty body, and a POST webhook', () => {
		const [webhook] = new RecocoTrigger().description.webhooks!;
		expect(webhook).toMatchObject({ httpMethod: 'POST', responseMode: 'lastNode', responseData: 'noData' });
	});

	it('emits the event with its projectId for a valid delivery', async () => {
		const { receive } = harness();
		const result = await receive(delivery(projectEvent));
		expect(result.workflowData).toHaveLength(1);
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({
			...projectEvent,
			action: 'update',
			projectId: 42,
			projectIds: [42],
			subscriptionUuid: '6f1c7a8e-2b1d-4a3e-9c55-0d7f3e2a1b90',
		});
		expect(item.json.object).toEqual(projectEvent.object);
	});

	it.each([
		['survey.Answer', { id: 3, session: 2, project: 831, question: { slug: 'x' } }, 831, [831]],
		['tasks.Task', { id: 5, status: 1, resource: { id: 1, tags: ['les-communs'] }, project: 9 }, 9, [9]],
		['taggit.TaggedItem', { id: 7, name: 'P', tags: ['a'] }, 7, [7]],
		['home.UserProfile', { id: 3, email: 'a@b.fr', projects: [4, 8] }, null, [4, 8]],
	])('resolves the project of a %s event', async (objectType, object, projectId, projectIds) => {
		const { receive } = harness();
		const result = await receive(delivery({ topic: `${objectType}/update`, object, object_type: objectType, webhook_uuid: 'u' }));
		expect(result.workflowData![0][0].json).toMatchObject({ projectId, projectIds });
	});

	it('answers 401 and starts nothing on a bad signature', async () => {
		const { receive, responses } = harness();
		const request = delivery(projectEvent);
		request.headers['django-webhook-signature-v1'] = sign(
			request.body,
			Number(request.headers['django-webhook-request-timestamp']),
			'wrong-secret-xyz',
		);
		const result = await receive(request);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(responses).toEqual([
			{ status: 401, body: { status: 'rejected', message: 'Invalid delivery: no signature matches the configured secret' } },
		]);
	});

	it('answers 401 on a missing signature or timestamp', async () => {
		for (const header of ['django-webhook-signature-v1', 'django-webhook-request-timestamp']) {
			const { receive, responses } = harness();
			const request = delivery(projectEvent);
			delete request.headers[header];
			expect(await receive(request)).toEqual({ noWebhookResponse: true });
			expect(responses[0].status).toBe(401);
		}
	});

	it('answers 401 on a stale or future timestamp, even when correctly signed', async () => {
		for (const offset of [-301, 301]) {
			const { receive, responses } = harness();
			const result = await receive(delivery(projectEvent, { timestamp: Math.floor(Date.now() / 1000) + offset }));
			expect(result).toEqual({ noWebhookResponse: true });
			expect(responses[0].status).toBe(401);
		}
	});

	it('uses the configured tolerance', async () => {
		const { receive } = harness({ options: { toleranceSeconds: 900 } });
		const result = await receive(delivery(projectEvent, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
		expect(result.workflowData).toHaveLength(1);
	});

	it('accepts a delivery signed for several secrets when one is ours', async () => {
		const { receive } = harness();
		const request = delivery(projectEvent);
		const timestamp = Number(request.headers['django-webhook-request-timestamp']);
		request.headers['django-webhook-signature-v1'] =
			`${sign(request.body, timestamp, 'the-other-secret')},${request.headers['django-webhook-signature-v1']}`;
		expect((await receive(request)).workflowData).toHaveLength(1);
	});

	it('answers 400 on a signed but malformed body', async () => {
		for (const body of ['{"topic": ', '[1, 2]', '{"topic": "x/update", "object_type": "projects.Project"}']) {
			const { receive, responses } = harness();
			const timestamp = Math.floor(Date.now() / 1000);
			const result = await receive({
				body,
				headers: { 'django-webhook-request-timestamp': String(timestamp), 'django-webhook-signature-v1': sign(body, timestamp) },
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(responses[0].status).toBe(400);
		}
	});

	it('answers 200 and starts nothing for a filtered-out object type or action', async () => {
		const { receive } = harness({ objectTypes: ['tasks.Task'] });
		expect(await receive(delivery(projectEvent))).toEqual({
			webhookResponse: { status: 'ignored', message: 'object type projects.Project is not selected' },
		});
		const byAction = harness({ actions: ['create'] });
		expect((await byAction.receive(delivery(projectEvent))).webhookResponse).toEqual({
			status: 'ignored',
			message: 'topic projects.Project/update is not selected',
		});
		const selected = harness({ objectTypes: ['projects.Project'], actions: ['update'] });
		expect((await selected.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
	});

	it('skips a redelivery (same body, fresh timestamp and signature) of a run that succeeded, but not a different event of the same subscription', async () => {
		const { receive, runs } = harness();
		const now = Math.floor(Date.now() / 1000);
		expect((await receive(delivery(projectEvent, { timestamp: now - 120 }))).workflowData).toHaveLength(1);
		runs[0].answer(200);
		expect(await receive(delivery(projectEvent, { timestamp: now }))).toEqual({
			webhookResponse: { status: 'ignored', message: 'redelivery of an event already processed successfully' },
		});
		const other = { ...projectEvent, object: { ...projectEvent.object, name: 'Autre nom' } };
		expect((await receive(delivery(other, { timestamp: now }))).workflowData).toHaveLength(1);
	});

	it('runs the redelivery of a delivery whose run failed (n8n answered 500), and skips the one after it succeeded', async () => {
		const { receive, runs } = harness();
		const now = Math.floor(Date.now() / 1000);
		expect((await receive(delivery(projectEvent, { timestamp: now - 120 }))).workflowData).toHaveLength(1);
		runs[0].answer(500);
		// Recoco's retry from about +60 s: the same body, re-signed
		expect((await receive(delivery(projectEvent, { timestamp: now - 60 }))).workflowData).toHaveLength(1);
		runs[1].answer(200);
		expect((await receive(delivery(projectEvent, { timestamp: now }))).webhookResponse).toMatchObject({ status: 'ignored' });
	});

	it('runs the redelivery when the client hung up before the answer (outcome unknown)', async () => {
		const { receive, runs } = harness();
		expect((await receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		runs[0].hangUp();
		expect((await receive(delivery(projectEvent))).workflowData).toHaveLength(1);
	});

	it('answers 409 with Retry-After, starting nothing, to a redelivery while the first run is still going; its later retry runs when that run failed', async () => {
		const { receive, responses, runs } = harness();
		expect((await receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		expect(await receive(delivery(projectEvent))).toEqual({ noWebhookResponse: true });
		expect(responses).toEqual([
			{ status: 409, headers: { 'Retry-After': '60' }, body: { status: 'in progress', message: 'an identical delivery is being processed; retry later' } },
		]);
		runs[0].answer(500);
		expect((await receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		expect(runs).toHaveLength(2);
	});

	it('identical deliveries racing each other start one run; the others get 409', async () => {
		const { receive } = harness();
		const results = await Promise.all(Array.from({ length: 5 }, () => receive(delivery(projectEvent))));
		expect(results.filter((result) => result.workflowData)).toHaveLength(1);
		expect(results.filter((result) => result.noWebhookResponse)).toHaveLength(4);
	});

	it('keeps one ledger per workflow and node: the same body in two workflows runs in each', async () => {
		const grist = harness();
		const lesCommuns = harness();
		expect((await grist.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		expect((await lesCommuns.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
	});

	it('does not record rejected or filtered deliveries, and lets redeliveries through when the option is off', async () => {
		const filtered = harness({ objectTypes: ['tasks.Task'] });
		await filtered.receive(delivery(projectEvent));
		expect(filtered.runs).toHaveLength(0);

		const off = harness({ options: { ignoreRedeliveries: false } });
		expect((await off.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		expect((await off.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		off.runs[0].answer(200);
		expect((await off.receive(delivery(projectEvent))).workflowData).toHaveLength(1);
		expect(off.staticData).toEqual({});
	});

	it.each([NaN, Infinity, -Infinity, 0, -5, 'abc', '300s'])(
		'refuses every delivery (500, no run) while the Timestamp Tolerance is %p, never turning the freshness check off',
		async (toleranceSeconds) => {
			const { receive, responses } = harness({ options: { toleranceSeconds } });
			const weekOld = Math.floor(Date.now() / 1000) - 7 * 24 * 3600;
			for (const timestamp of [weekOld, Math.floor(Date.now() / 1000)]) {
				expect(await receive(delivery(projectEvent, { timestamp }))).toEqual({ noWebhookResponse: true });
			}
			expect(responses).toHaveLength(2);
			for (const response of responses) {
				expect(response).toMatchObject({
					status: 500,
					body: { status: 'rejected', message: expect.stringMatching(/^Recoco Trigger misconfigured: Timestamp Tolerance must be a finite number of seconds above 0/) },
				});
			}
		},
	);

	it('uses 300 s when the Timestamp Tolerance is unset, and a numeric string as a number', async () => {
		const unset = harness({ options: {} });
		expect((await unset.receive(delivery(projectEvent, { timestamp: Math.floor(Date.now() / 1000) - 299 }))).workflowData).toHaveLength(1);
		expect(await unset.receive(delivery(projectEvent, { timestamp: Math.floor(Date.now() / 1000) - 302 }))).toEqual({ noWebhookResponse: true });
		const text = harness({ options: { toleranceSeconds: '900' } });
		expect((await text.receive(delivery(projectEvent, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).workflowData).toHaveLength(1);
	});

	it('accepts deliveries built by the shared Recoco fakes, for every object type, rotated secrets included', async () => {
		const { createRecocoFake } = require('../../fakes/recoco.cjs');
		const { buildWebhookRequest } = require('../../fakes/recocoWebhook.cjs');
		const recoco = createRecocoFake();
		recoco.seed({
			users: [{ id: 30, username: 'owner@x.fr', email: 'owner@x.fr', password: 'pw' }],
			projects: [{ id: 8, name: 'Écoquartier « Les Prés »', owner: { email: 'owner@x.fr' } }],
			tasks: [{ id: 31, project: 8, status: 1, resource: { id: 4, title: 'R', subtitle: '', tags: ['les-communs'], status: 2 } }],
			questions: [{ id: 1, slug: 'q', text: 'Q ?' }],
			sessions: [{ id: 3, project: 8 }],
			answers: [{ id: 100, session: 3, question: 1, comment: 'réponse' }],
		});
		const cases: Array<[string, number, number | null, number[]]> = [
			['projects.Project/update', 8, 8, [8]],
			['taggit.TaggedItem/create', 8, 8, [8]],
			['tasks.Task/update', 31, 8, [8]],
			['survey.Answer/update', 100, 8, [8]],
			['home.UserProfile/update', 30, null, [8]],
		];
		for (const [topic, id, projectId, projectIds] of cases) {
			const { receive } = harness();
			const request = buildWebhookRequest({ event: recoco.webhookEvent(topic, id), secrets: ['previous-secret-xyz', SECRET] });
			expect([...request.body].every((char) => char.charCodeAt(0) < 128)).toBe(true);
			const result = await receive(request);
			expect(result.workflowData?.[0][0].json).toMatchObject({ topic, projectId, projectIds });
		}
	});

	it('has webhook methods that register nothing (webhooks are added by hand in Recoco)', async () => {
		const methods = new RecocoTrigger().webhookMethods.default;
		const context = {} as never;
		expect(await methods.checkExists.call(context)).toBe(true);
		expect(await methods.create.call(context)).toBe(true);
		expect(await methods.delete.call(context)).toBe(true);
	});

	it('tests the webhook credential by its shape', async () => {
		const check = new RecocoTrigger().methods.credentialTest.recocoWebhookSecretCheck;
		const ok = await check.call({} as never, { id: '1', name: 'c', type: 'recocoWebhookApi', data: { secret: SECRET } });
		const short = await check.call({} as never, { id: '1', name: 'c', type: 'recocoWebhookApi', data: { secret: 'short' } });
		expect(ok.status).toBe('OK');
		expect(short.status).toBe('Error');
	});
});
