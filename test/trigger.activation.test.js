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
const SECRET_KEY = 'sck_never_in_a_message/+=';
const SECRET = { secretKey: SECRET_KEY, environment: 'test' };

/** Runs one webhook method the way n8n does when the workflow is activated. */
async function activate({ parameters = {}, credentials, credentialData = SECRET } = {}, method = 'create') {
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
		credentialsHelper: new TestCredentialsHelper({ paynetApi: credentialData }),
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

describe('configuration that would refuse every payment is refused at activation (issue 21)', () => {
	test.each(['create', 'checkExists'])('%s: Allowed IPs made only of commas and spaces → refused', async (method) => {
		await expect(
			activate({ parameters: { verifyWithApi: false, options: { allowedIps: ' , ,\n,' } } }, method),
		).rejects.toMatchObject({
			message: 'Allowed IPs holds no address, only commas or spaces: every confirmation would be refused',
			description: expect.stringMatching(/clear the field to accept posts from any address/),
		});
	});

	test('an empty Allowed IPs still activates (no allow-list), and so does one real address among commas', async () => {
		await expect(activate({ parameters: { verifyWithApi: false, options: { allowedIps: '' } } })).resolves.toBe(true);
		await expect(
			activate({ parameters: { verifyWithApi: false, options: { allowedIps: ', 203.0.113.7 ,' } } }),
		).resolves.toBe(true);
	});

	test('a credential whose environment is not production, test or custom → refused, never production', async () => {
		const refused = activate({ credentials: CREDENTIAL, credentialData: { ...SECRET, environment: 'sandbox' } });
		await expect(refused).rejects.toMatchObject({
			message: 'The Paynet credential’s Environment is "sandbox", which is not Production, Test or Custom',
		});
		await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(SECRET_KEY) });
	});

	test.each([
		['http://127.0.0.1:8787/paynet?token=abc', '"http://127.0.0.1:8787/paynet?…"'],
		['https://proxy.example.com/#frag', '"https://proxy.example.com/#…"'],
	])('a custom base URL with a query or fragment (%s) → refused, the query not echoed', async (baseUrl, shownUrl) => {
		const refused = activate({
			credentials: CREDENTIAL,
			credentialData: { ...SECRET, environment: 'custom', baseUrl },
		});
		await expect(refused).rejects.toMatchObject({
			message: `The Paynet credential’s Base URL must not contain a query (?…) or fragment (#…): ${shownUrl}`,
		});
		await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('abc') });
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
