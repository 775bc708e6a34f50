'use strict';
// Runs workflow JSON through n8n-core's real execution engine (WorkflowExecute)
// with our compiled node and credential types loaded under the names n8n
// gives a community package.
const path = require('node:path');
const { WorkflowExecute, ExecutionLifecycleHooks, LoadOptionsContext } = require('n8n-core');
const { Workflow, NodeHelpers, createRunExecutionData } = require('n8n-workflow');

const dist = path.join(__dirname, '..', '..', 'dist');
const { Paynet } = require(path.join(dist, 'nodes/Paynet/Paynet.node.js'));
const { PaynetApi } = require(path.join(dist, 'credentials/PaynetApi.credentials.js'));

const PACKAGE = 'n8n-nodes-paynet';
const PAYNET = `${PACKAGE}.paynet`;
const PAYNET_TRIGGER = `${PACKAGE}.paynetTrigger`;

/** Stands in for a spreadsheet or a Code node: outputs the items in its `items` parameter. */
class ItemsSource {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Test source of items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};
	async execute() {
		const raw = this.getNodeParameter('items', 0);
		const items = typeof raw === 'string' ? JSON.parse(raw) : raw;
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

function loadTrigger() {
	try {
		return require(path.join(dist, 'nodes/Paynet/PaynetTrigger.node.js')).PaynetTrigger;
	} catch {
		return undefined;
	}
}

function createNodeTypes(extraNodeTypes = {}) {
	const types = { 'test.items': new ItemsSource(), [PAYNET]: new Paynet(), ...extraNodeTypes };
	const Trigger = loadTrigger();
	if (Trigger) types[PAYNET_TRIGGER] = new Trigger();
	return {
		types,
		getByName: (name) => types[name],
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(types[name], version),
		getKnownTypes: () => ({}),
	};
}

const credentialTypes = { paynetApi: new PaynetApi() };

/**
 * What n8n's CredentialsHelper does for a credential with generic
 * `authenticate`: resolve each expression with `$credentials` and merge it
 * into the request.
 */
class TestCredentialsHelper {
	constructor(credentials, types = credentialTypes) {
		this.credentials = credentials;
		this.types = types;
	}
	getParentTypes() {
		return [];
	}
	// n8n 2.x asks before handing a credential to a node; ours are always the node's own.
	isCredentialUsableByNode() {
		return true;
	}
	async preAuthentication() {
		return undefined;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.types[typeName];
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
						$credentials: credentials,
					})
				: value;
		for (const section of ['headers', 'qs', 'body']) {
			const values = type.authenticate.properties[section];
			if (!values) continue;
			requestOptions[section] = requestOptions[section] ?? {};
			for (const [key, value] of Object.entries(values)) requestOptions[section][resolve(key)] = resolve(value);
		}
		return requestOptions;
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const credentials = this.credentials[type];
		if (!credentials) throw new Error(`No test credentials of type ${type}`);
		return { ...credentials };
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) {
		return this.types[type].properties;
	}
}

function paynetCredentials(server, overrides = {}) {
	return {
		paynetApi: { secretKey: server.secretKey, environment: 'custom', baseUrl: server.url, ...overrides },
	};
}

/**
 * Builds the usual test workflow: an Items source feeding one Paynet node.
 * `parameters` are the Paynet node's, `settings` its node settings (for
 * example `{ continueOnFail: true }` or `{ onError: 'continueRegularOutput' }`),
 * `typeVersion` its version (1, as the examples and saved workflows have it, unless given).
 */
function paynetWorkflow({ items = [{}], parameters, nodeSettings = {}, typeVersion = 1 }) {
	return {
		nodes: [
			{
				id: 'items',
				name: 'Items',
				type: 'test.items',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(items) },
			},
			{
				id: 'paynet',
				name: 'Paynet',
				type: PAYNET,
				typeVersion,
				position: [200, 0],
				parameters,
				credentials: { paynetApi: { id: '1', name: 'Paynet account' } },
				...nodeSettings,
			},
		],
		connections: { Items: { main: [[{ node: 'Paynet', type: 'main', index: 0 }]] } },
	};
}

/** What n8n hands a node besides the workflow: our credentials helper and the instance's URLs. */
function testAdditionalData(credentials, extraCredentialTypes, hooks) {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials ?? {}, { ...credentialTypes, ...extraCredentialTypes }),
		hooks,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		logAiEvent: async () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	};
}

/**
 * What the editor's "From List" runs: n8n-core's own LoadOptionsContext for
 * one Paynet node (of `typeVersion`, with `parameters`), with the node's
 * credential set unless `withCredential` is false. Returns `search(filter,
 * token)`, which calls the node's list search `method` in that context.
 */
function listSearchContext({ credentials, parameters = {}, typeVersion = 2, withCredential = true }) {
	const nodeTypes = createNodeTypes();
	const node = {
		id: 'paynet',
		name: 'Paynet',
		type: PAYNET,
		typeVersion,
		position: [0, 0],
		parameters,
		...(withCredential ? { credentials: { paynetApi: { id: '1', name: 'Paynet account' } } } : {}),
	};
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = testAdditionalData(credentials);
	additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, workflow.getNode('Paynet'), additionalData, 'payLink');
	const type = nodeTypes.getByNameAndVersion(PAYNET, typeVersion);
	return {
		context,
		search: async (method, filter, token) => await type.methods.listSearch[method].call(context, filter, token),
	};
}

/**
 * Runs a workflow to the end. Resolves with the output items of `outputNode`
 * (default: the last node), the node's error if it failed, and the full run.
 */
async function runWorkflow(workflowJson, { credentials, outputNode, extraNodeTypes, extraCredentialTypes } = {}) {
	const nodeTypes = createNodeTypes(extraNodeTypes);
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		staticData: workflowJson.staticData,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test',
		name: 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		settings: {},
	});
	const additionalData = testAdditionalData(credentials, extraCredentialTypes, hooks);
	const execute = new WorkflowExecute(additionalData, 'manual', createRunExecutionData());
	const start = workflow.getNode(workflowJson.nodes[0].name);
	// n8n 2.x takes the start node in an options object; 1.x positionally.
	const run = await (execute.run.length === 1 && typeof globalThis.PAYNET_N8N_MAJOR === 'number'
		? execute.run({ workflow, startNode: start })
		: execute.run(workflow, start));
	const name = outputNode ?? workflowJson.nodes[workflowJson.nodes.length - 1].name;
	const nodeRuns = run.data.resultData.runData[name] ?? [];
	const last = nodeRuns[nodeRuns.length - 1];
	return {
		run,
		items: last?.data?.main?.[0] ?? [],
		error: last?.error ?? run.data.resultData.error,
	};
}

module.exports = {
	runWorkflow,
	listSearchContext,
	paynetWorkflow,
	paynetCredentials,
	TestCredentialsHelper,
	PAYNET,
	PAYNET_TRIGGER,
	credentialTypes,
};
