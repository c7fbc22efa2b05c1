/**
 * In-process workflow runner for integration tests: our node classes (from source, through ts-jest)
 * run on n8n-core's real WorkflowExecute, with real HTTP to the loopback fakes.
 *
 *   const run = await runWorkflow({
 *     nodes: [{ name: 'Grist', type: 'gristSync', parameters: {...}, credentials: { gristSyncApi: 'grist' } }],
 *     connections: ['Grist'],                     // a chain after the input node, or full n8n `connections`
 *     input: [{ json: { a: 1 } }],                // items the start node emits
 *     credentials: { grist: { type: 'gristSyncApi', data: { url, apiKey } } },
 *   });
 *   run.output('Grist')          // json of the node's first output (main[0]) — all runs concatenated
 *   run.items('Grist', 1)        // INodeExecutionData of output 1
 *   run.error                    // the workflow error, if any (also run.nodeError('Grist'))
 *   run.credentials.grist.data   // credential data after the run (preAuthentication results persist here)
 *
 * Short node types are prefixed with `n8n-nodes-sync-connectors.`; the start node is `Input` (type test.input).
 * Credentials behave like n8n's CredentialsHelper: function and generic `authenticate`, and `preAuthentication`
 * when the expirable field is empty or the request failed with a retry status, persisting the result.
 */
import 'reflect-metadata';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	ICredentialsHelper,
	Workflow,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentials,
	type IConnections,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
	createRunExecutionData,
} from 'n8n-workflow';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-harness-'));

const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core') as typeof import('n8n-core');

import { allCredentialTypes, allNodeTypes, PACKAGE_PREFIX } from './registry';

export interface HarnessNode {
	name: string;
	type: string;
	parameters?: IDataObject;
	/** credential type → key in `credentials` */
	credentials?: Record<string, string>;
	typeVersion?: number;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	position?: [number, number];
}

export interface HarnessCredential {
	type: string;
	data: ICredentialDataDecryptedObject;
}

export interface RunOptions {
	nodes: HarnessNode[];
	/** Either a simple chain of node names after `Input`, or n8n connections. */
	connections?: string[] | IConnections;
	input?: INodeExecutionData[] | IDataObject[];
	credentials?: Record<string, HarnessCredential>;
	/** Extra node types (name → instance) for this run, e.g. a stub. */
	nodeTypes?: Record<string, INodeType>;
	/** Extra credential types (name → definition) for this run. */
	credentialTypes?: Record<string, ICredentialType>;
	staticData?: IDataObject;
}

export interface RunResult {
	run: IRun;
	error?: Error;
	credentials: Record<string, HarnessCredential>;
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
	output(nodeName: string, outputIndex?: number): IDataObject[];
	nodeError(nodeName: string): Error | undefined;
}

/** Emits the given items; stands in for Manual Trigger + upstream nodes. n8n calls `execute` with its
 * own context as `this`, so the items are captured in a closure. */
function inputNode(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'Test input',
			defaults: { name: 'Input' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'],
		async execute(): Promise<INodeExecutionData[][]> {
			return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
		},
	};
}

function fullType(type: string): string {
	return type.includes('.') ? type : `${PACKAGE_PREFIX}${type}`;
}

class NodeTypesRegistry implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes() {
		return {};
	}
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly store: Record<string, HarnessCredential>,
		private readonly types: Record<string, ICredentialType>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(name: string): string[] {
		return this.types[name]?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private resolve(value: unknown, credentials: ICredentialDataDecryptedObject, workflow?: Workflow, node?: INode) {
		if (typeof value !== 'string' || !isExpression(value) || !workflow || !node) return value;
		return workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials, $self: credentials },
			undefined,
			'',
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			const options = requestOptions as unknown as Record<string, IDataObject>;
			options.headers ??= {};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as IDataObject)) {
					options[outerKey] ??= {};
					options[outerKey][String(this.resolve(key, credentials, workflow, node))] = this.resolve(
						value,
						credentials,
						workflow,
						node,
					) as string;
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) {
			return undefined;
		}
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const key = node.credentials?.[typeName]?.id;
		if (key && this.store[key]) Object.assign(this.store[key].data, output);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		return typeof type.preAuthentication === 'function'
			? ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject)
			: undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by the harness');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = nodeCredentials.id ? this.store[nodeCredentials.id] : undefined;
		if (!entry) throw new Error(`No credential "${nodeCredentials.id}" of type ${type} given to the harness`);
		const defaults: ICredentialDataDecryptedObject = {};
		for (const property of this.type(type).properties) {
			if (property.default !== undefined && !isExpression(property.default)) {
				defaults[property.name] = property.default as unknown as string;
			}
		}
		return { ...defaults, ...entry.data };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		if (nodeCredentials.id && this.store[nodeCredentials.id]) Object.assign(this.store[nodeCredentials.id].data, data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

function toConnections(chain: string[] | IConnections | undefined, nodes: HarnessNode[]): IConnections {
	if (chain && !Array.isArray(chain)) return chain;
	const order = ['Input', ...(chain ?? nodes.map((node) => node.name))];
	const connections: IConnections = {};
	for (let i = 0; i < order.length - 1; i++) {
		connections[order[i]] = { main: [[{ node: order[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const credentials = options.credentials ?? {};
	const inputItems = (options.input ?? [{ json: {} }]).map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const nodes: INode[] = [
		{
			id: 'input',
			name: 'Input',
			type: 'test.input',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...options.nodes.map((node, index) => {
			const type = fullType(node.type);
			return {
				id: `node-${index}`,
				name: node.name,
				type,
				typeVersion: node.typeVersion ?? 1,
				position: node.position ?? [200 * (index + 1), 0],
				parameters: node.parameters ?? {},
				continueOnFail: node.continueOnFail,
				onError: node.onError,
				credentials: Object.fromEntries(
					Object.entries(node.credentials ?? {}).map(([credType, key]) => [credType, { id: key, name: key }]),
				),
			} as INode;
		}),
	];
	const nodeTypes = new NodeTypesRegistry({
		'test.input': inputNode(inputItems),
		...allNodeTypes(),
		...options.nodeTypes,
	});
	const workflowData: IWorkflowBase = {
		id: 'harness',
		name: 'harness',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: toConnections(options.connections, options.nodes),
		settings: { executionOrder: 'v1' },
		staticData: options.staticData,
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		staticData: options.staticData,
		settings: workflowData.settings,
	});

	const mode: WorkflowExecuteMode = 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'harness-execution', workflowData);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const credentialsHelper = new HarnessCredentialsHelper(credentials, {
		...allCredentialTypes(),
		...options.credentialTypes,
	});
	const additionalData = {
		credentialsHelper,
		hooks,
		variables: {},
		executionId: 'harness-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		executeWorkflow: async () => {
			throw new Error('executeWorkflow is not supported by the harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Code nodes are not supported by the harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const done = execution.processRunExecutionData(workflow);
	const run = (await Promise.race([done.then(() => finished), finished])) as IRun;

	const runData = run.data.resultData.runData;
	const items = (nodeName: string, outputIndex = 0): INodeExecutionData[] =>
		(runData[nodeName] ?? []).flatMap((task) => task.data?.main?.[outputIndex] ?? []);
	return {
		run,
		error: run.data.resultData.error as Error | undefined,
		credentials,
		items,
		output: (nodeName, outputIndex = 0) => items(nodeName, outputIndex).map((item) => item.json),
		nodeError: (nodeName) => (runData[nodeName] ?? []).map((task) => task.error).find(Boolean) as Error | undefined,
	};
}
