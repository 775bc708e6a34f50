'use strict';
// Activating the Paynet Trigger through n8n-core's real HookContext: with
// Verify With Paynet on, a node without a credential must not activate (every
// post would be refused); with it off, or with a credential, it activates.
// And the node description keeps the toggle out of n8n's "auth fields", which
// the editor hides from the panel (issue 15).
const path = require('node:path');
const { HookContext } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');
const { TestCredentialsHelper } = require('./harness/engine');

const { PaynetTrigger } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'PaynetTrigger.node.js'));

const CREDENTIAL = { paynetApi: { id: '1', name: 'Paynet account' } };

/** Runs one webhook method the way n8n does when the workflow is activated. */
async function activate({ parameters = {}, credentials } = {}, method = 'create') {
	const trigger = new PaynetTrigger();
	const nodeTypes = {
		getByName: () => trigger,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(trigger, 1),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'activation-test',
		name: 'activation test',
		nodes: [
			{
				id: 'trigger',
				name: 'Paynet Trigger',
				type: 'n8n-nodes-paynet.paynetTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: '6f1c1f4e-0d55-4d8e-9a55-0b1b7c1d2e3f',
				parameters,
				...(credentials ? { credentials } : {}),
			},
		],
		connections: {},
		active: true,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	const node = workflow.getNode('Paynet Trigger');
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({}),
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		variables: {},
	};
	const context = new HookContext(workflow, node, additionalData, 'trigger', 'activate', {
		webhookDescription: trigger.description.webhooks[0],
		isTest: false,
	});
	return await trigger.webhookMethods.default[method].call(context);
}

describe('activation with Verify With Paynet on needs a credential', () => {
	test.each(['create', 'checkExists'])(
		'%s: no credential and verification on by default → refused, with the fix',
		async (method) => {
			await expect(activate({}, method)).rejects.toMatchObject({
				message: 'Verify With Paynet is on but no Paynet credential is selected',
				description: expect.stringMatching(/Select a Paynet credential .* or turn Verify With Paynet off/),
			});
		},
	);

	test('no credential and verification explicitly on → refused', async () => {
		await expect(activate({ parameters: { verifyWithApi: true } })).rejects.toThrow(/no Paynet credential/);
	});

	test('no credential and verification off → activates', async () => {
		await expect(activate({ parameters: { verifyWithApi: false } })).resolves.toBe(true);
	});

	test('a credential and verification on → activates', async () => {
		await expect(activate({ credentials: CREDENTIAL })).resolves.toBe(true);
	});
});

describe('the credential is asked for exactly when verification is on (n8n displayParameter)', () => {
	const description = new PaynetTrigger().description;
	const [credential] = description.credentials;
	const shown = (parameters) =>
		NodeHelpers.displayParameter(
			NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description),
			credential,
			null,
			description,
		);

	test('on (the default) → shown; off → hidden', () => {
		expect(shown({})).toBe(true);
		expect(shown({ verifyWithApi: true })).toBe(true);
		expect(shown({ verifyWithApi: false })).toBe(false);
	});

	test("no parameter is named in a credential's displayOptions.show (the editor hides those from the panel)", () => {
		const { Paynet } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'Paynet.node.js'));
		for (const { credentials = [] } of [description, new Paynet().description]) {
			for (const cred of credentials) expect(Object.keys(cred.displayOptions?.show ?? {})).toEqual([]);
		}
	});
});
