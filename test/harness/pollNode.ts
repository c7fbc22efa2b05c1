/**
 * One poll of a polling trigger as n8n's active-workflow engine runs it: n8n-core's own PollContext in
 * `trigger` mode (WorkflowExecute only polls in `manual` mode; runWorkflow covers that), with the workflow's
 * static data, real HTTP to the loopback fakes and the harness's credentials.
 *
 *   const staticData = {};
 *   const items = await pollNode({ node: { name: 'T', type: 'bitrix24CrmTrigger', parameters, credentials }, credentials, staticData });
 *
 * Like n8n, the caller keeps static data between polls only when a poll emits (or on the activation poll).
 */
import 'reflect-metadata';

import { Workflow, type IDataObject, type INode, type IWorkflowExecuteAdditionalData, type WorkflowActivateMode } from 'n8n-workflow';

import { allCredentialTypes, allNodeTypes, PACKAGE_PREFIX } from './registry';
import { HarnessCredentialsHelper, type HarnessCredential, type HarnessNode } from './runWorkflow';

const { PollContext } = require('n8n-core') as typeof import('n8n-core');

export interface PollOptions {
	node: HarnessNode;
	credentials: Record<string, HarnessCredential>;
	/** The workflow's static data (`{"node:<name>": {...}}`), changed in place by the poll. */
	staticData: IDataObject;
	/** `trigger` for a scheduled poll, `manual` for an editor test. */
	mode?: 'trigger' | 'manual';
	activation?: WorkflowActivateMode;
	pollBudgetMs?: number;
}

/** The items the poll returned (first output), or [] when it returned null. */
export async function pollNode(options: PollOptions): Promise<IDataObject[]> {
	const type = options.node.type.includes('.') ? options.node.type : `${PACKAGE_PREFIX}${options.node.type}`;
	const node: INode = {
		id: 'poll-node',
		name: options.node.name,
		type,
		typeVersion: options.node.typeVersion ?? 1,
		position: [0, 0],
		parameters: (options.node.parameters ?? {}) as INode['parameters'],
		credentials: Object.fromEntries(Object.entries(options.node.credentials ?? {}).map(([credType, key]) => [credType, { id: key, name: key }])),
	};
	const nodeTypes = allNodeTypes();
	const registry = {
		getByName: (name: string) => nodeTypes[name],
		getByNameAndVersion: (name: string) => nodeTypes[name],
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'harness-poll',
		name: 'harness-poll',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: registry,
		staticData: options.staticData,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper(options.credentials, allCredentialTypes()),
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		options.activation ?? (mode === 'manual' ? 'manual' : 'activate'),
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		() => options.pollBudgetMs ?? 300_000,
	);
	const nodeType = nodeTypes[type];
	if (!nodeType?.poll) throw new Error(`${type} is not a polling node`);
	const result = await nodeType.poll.call(context);
	// Workflow keeps the static data it was given; what the poll changed is there.
	return (result?.[0] ?? []).map((item) => item.json);
}
