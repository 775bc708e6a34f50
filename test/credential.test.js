'use strict';
const { Workflow } = require('n8n-workflow');
const { PaynetApi } = require('../dist/credentials/PaynetApi.credentials');
const { resolveBaseUrl } = require('../dist/nodes/Paynet/transport/environments');
const { usePaynetServer } = require('./harness/paynetTest');
const { istanbulDay } = require('./paynet-server/formats');

const credential = new PaynetApi();

/** Evaluates a credential expression the way n8n does, with n8n-workflow's real expression engine. */
function evaluate(expression, credentials) {
	const node = { id: 'n', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => undefined,
			getByNameAndVersion: () => ({ description: { properties: [] } }),
			getKnownTypes: () => ({}),
		},
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

	test.each([
		[{ environment: 'sandbox' }, /^https:\/\/unknown-environment-choose-production-test-or-custom\.invalid$/],
		[
			{ environment: 'custom', baseUrl: 'http://127.0.0.1:8787?x=1' },
			/^https:\/\/base-url-must-not-have-a-query-or-fragment\.invalid$/,
		],
		[
			{ environment: 'custom', baseUrl: 'http://127.0.0.1:8787/#top' },
			/^https:\/\/base-url-must-not-have-a-query-or-fragment\.invalid$/,
		],
	])(
		'issue 21: %p is refused by the nodes and tested against a host that names the problem, never production',
		(credentials, host) => {
			expect(evaluate(credential.test.request.baseURL, credentials)).toMatch(host);
			expect(() => resolveBaseUrl(credentials)).toThrow(/^The Paynet credential’s (Environment|Base URL)/);
		},
	);

	test.each([
		[{ environment: 'custom', baseUrl: '' }, 'The Paynet credential’s Environment is Custom but its Base URL is empty'],
		[
			{ environment: 'custom', baseUrl: 'ftp://proxy.example.com' },
			'The Paynet credential’s Base URL is not an http(s) URL: "ftp://proxy.example.com"',
		],
		[
			{ environment: 'custom', baseUrl: 'proxy.example.com' },
			'The Paynet credential’s Base URL is not an http(s) URL: "proxy.example.com"',
		],
	])('issue 21: %p is refused with %p', (credentials, message) => {
		expect(() => resolveBaseUrl(credentials)).toThrow(message);
	});

	describe('the connection test, sent to the Paynet test server as n8n sends it', () => {
		const paynet = usePaynetServer();

		/** Resolves the request's expressions, authenticates it with `secretKey` and applies its rules to the answer, as n8n's credential test does. */
		async function testConnection(secretKey) {
			const credentials = { secretKey, environment: 'custom', baseUrl: paynet.url };
			const { request, rules } = credential.test;
			const body = Object.fromEntries(
				Object.entries(request.body).map(([name, value]) => [
					name,
					typeof value === 'string' ? evaluate(value, credentials) : value,
				]),
			);
			const authenticated = await credential.authenticate(credentials, { headers: { ...request.headers } });
			const response = await fetch(`${evaluate(request.baseURL, credentials)}${request.url}`, {
				method: request.method,
				headers: authenticated.headers,
				body: JSON.stringify(body),
			});
			const answer = JSON.parse(await response.text());
			const failed = rules.find((rule) =>
				rule.type === 'responseCode'
					? response.status === rule.properties.value
					: answer[rule.properties.key] === rule.properties.value,
			);
			return failed
				? { status: 'Error', message: failed.properties.message }
				: { status: 'OK', httpStatus: response.status };
		}

		test("the right key passes: one list call for today's Istanbul day, asking for one row", async () => {
			expect(await testConnection(paynet.secretKey)).toEqual({ status: 'OK', httpStatus: 200 });
			const today = istanbulDay(new Date());
			expect(paynet.requests.map((request) => [request.path, request.body])).toEqual([
				['/v1/mailorder/list', { datab: today, datbi: today, limit: 1 }],
			]);
		});

		test('a wrong key (HTTP 401) is named apart from a blocked IP (HTTP 403)', async () => {
			expect(await testConnection('sck_wrong')).toEqual({
				status: 'Error',
				message: expect.stringMatching(/rejected the secret key/),
			});
			paynet.inject('/v1/mailorder/list', { status: 403 });
			expect(await testConnection(paynet.secretKey)).toEqual({
				status: 'Error',
				message: expect.stringMatching(/IP addresses registered/),
			});
		});

		test.each([7, '7'])('a wrong key answered as HTTP 200 with return code %p is named too', async (code) => {
			paynet.inject('/v1/mailorder/list', { status: 200, body: JSON.stringify({ code, message: 'Yetkisiz' }) });
			expect(await testConnection(paynet.secretKey)).toEqual({
				status: 'Error',
				message: expect.stringMatching(/rejected the secret key/),
			});
		});
	});

	test('the secret key is a required password field', () => {
		const secretKey = credential.properties.find((property) => property.name === 'secretKey');
		expect(secretKey).toMatchObject({ type: 'string', required: true, typeOptions: { password: true } });
	});
});
