'use strict';
const {
	describePaynetFailure,
	parsePaynetBody,
	repairPaynetJson,
	parseRetryAfter,
	findNetworkErrorCode,
} = require('../dist/nodes/Paynet/transport/responses');

describe("reading Paynet's answers", () => {
	test("the list page's half-quoted Turkish total is repaired, not fatal", () => {
		const text = '{"total":306,"total_count":10,"total_amount":2.441,00","limit":10,"has_more":true}';
		expect(parsePaynetBody(text)).toMatchObject({ total: 306, total_amount: '2.441,00', limit: 10 });
		expect(repairPaynetJson('{"a":1.234,56}')).toBe('{"a":"1.234,56"}');
	});

	test('valid JSON is never rewritten', () => {
		expect(parsePaynetBody('{"amount":200.0000,"note":"1,5"}')).toEqual({ amount: 200, note: '1,5' });
	});

	test('a body that is not JSON reads as undefined, and HTTP 200 with it is a failure naming the status', () => {
		expect(parsePaynetBody('<html>oops')).toBeUndefined();
		expect(describePaynetFailure(200, undefined).message).toMatch(/HTTP 200/);
	});

	test('code 0 and 100 (oldsuccessful), as numbers or strings, are success', () => {
		for (const code of [0, '0', 100, '100']) expect(describePaynetFailure(200, { code })).toBeUndefined();
	});

	test("HTTP 200 with another code is a failure carrying Paynet's message and the code name", () => {
		const failure = describePaynetFailure(200, { code: '4', message: 'Bayi bulunamadı' });
		expect(failure.message).toBe('Paynet: Bayi bulunamadı (HTTP 200, return code 4 agentnotfound)');
	});

	test('a wrong key is named as such, by status or by return code', () => {
		expect(
			describePaynetFailure(401, { type: 'authorization_error', message: 'x', code: 401, result_code: 7 }).unauthorized,
		).toBe(true);
		expect(describePaynetFailure(200, { code: 7, message: 'unauthorized' }).message).toMatch(/rejected the secret key/);
	});

	test('an error object becomes a message with type and return code', () => {
		const failure = describePaynetFailure(400, {
			type: 'invalid_request_error',
			message: 'name_surname is required',
			code: 400,
			result_code: 11,
		});
		expect(failure.message).toBe(
			'Paynet: name_surname is required (HTTP 400, invalid_request_error, return code 11 badrequest)',
		);
	});

	test('403 hints at the static IP allow-list', () => {
		expect(describePaynetFailure(403, { message: 'Forbidden' }).description).toMatch(/IP/);
	});

	test('Retry-After in seconds or as a date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	test('network codes are found where n8n and axios put them', () => {
		expect(findNetworkErrorCode({ httpCode: 'ECONNREFUSED' })).toBe('ECONNREFUSED');
		expect(findNetworkErrorCode({ cause: { code: 'ETIMEDOUT' } })).toBe('ETIMEDOUT');
		expect(findNetworkErrorCode({ message: 'timeout of 30000ms exceeded' })).toBe('ECONNABORTED');
		expect(findNetworkErrorCode({ httpCode: '500' })).toBeUndefined();
	});
});
