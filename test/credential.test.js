'use strict';
const { Workflow } = require('n8n-workflow');
const { PaynetApi } = require('../dist/credentials/PaynetApi.credentials');
const { resolveBaseUrl } = require('../dist/nodes/Paynet/transport/environments');

const credential = new PaynetApi();

/** Evaluates a credential expression the way n8n does, with n8n-workflow's real expression engine. */
function evaluate(expression, credentials) {
	const node = { id: 'n', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) },
	});
	return workflow.expression.getParameterValue(expression, null, 0, 0, node.name, [], 'internal', {
		$credentials: credentials,
	});
}

describe('the Paynet API credential', () => {
	test('sends the raw secret key after "Basic", never base64, keeping the other headers', async () => {
		const key = 'sck_pcs_abc/def+ghi==';
		const request = { url: '/v1/mailorder/list', headers: { Accept: 'application/json' } };
		const authenticated = await credential.authenticate({ secretKey: key }, request);
		expect(authenticated.headers).toEqual({ Accept: 'application/json', Authorization: `Basic ${key}` });
		expect(request.headers).not.toHaveProperty('Authorization');
	});

	test('a key pasted with surrounding spaces or line breaks is sent trimmed, by the nodes and the connection test alike', async () => {
		// n8n applies authenticate() to the connection test's request too: the test has no key expression of its own.
		expect(JSON.stringify(credential.test.request)).not.toMatch(/secretKey|Authorization/);
		for (const pasted of [' sck_key\n', '\tsck_key\r\n', 'sck_key  ']) {
			const authenticated = await credential.authenticate({ secretKey: pasted }, { headers: {} });
			expect(authenticated.headers.Authorization).toBe('Basic sck_key');
		}
	});

	test.each([
		[{ environment: 'production' }, 'https://api.paynet.com.tr'],
		[{ environment: 'test' }, 'https://pts-api.paynet.com.tr'],
		[{ environment: 'custom', baseUrl: 'http://127.0.0.1:8787/' }, 'http://127.0.0.1:8787'],
		[{ environment: 'custom', baseUrl: ' https://proxy.example.com/paynet// ' }, 'https://proxy.example.com/paynet'],
		[{}, 'https://api.paynet.com.tr'],
	])('%p → %s, the same in the connection test and in the nodes', (credentials, expected) => {
		expect(evaluate(credential.test.request.baseURL, credentials)).toBe(expected);
		expect(resolveBaseUrl(credentials)).toBe(expected);
	});

	test('the connection test is one cheap authenticated list call for today', () => {
		const { request } = credential.test;
		expect(request).toMatchObject({ method: 'POST', url: '/v1/mailorder/list', json: true });
		const today = evaluate(request.body.datab, {});
		expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(request.body.limit).toBe(1);
	});

	test('the connection test names a wrong key (401 or return code 7) apart from a blocked IP (403)', () => {
		const rules = credential.test.rules;
		const byCode = (value) => rules.find((rule) => rule.type === 'responseCode' && rule.properties.value === value);
		expect(byCode(401).properties.message).toMatch(/rejected the secret key/);
		expect(byCode(403).properties.message).toMatch(/IP addresses registered/);
		const bodyRules = rules.filter((rule) => rule.type === 'responseSuccessBody');
		expect(bodyRules.map((rule) => rule.properties.value)).toEqual([7, '7']);
	});

	test('the secret key is a required password field', () => {
		const secretKey = credential.properties.find((property) => property.name === 'secretKey');
		expect(secretKey).toMatchObject({ type: 'string', required: true, typeOptions: { password: true } });
	});
});
