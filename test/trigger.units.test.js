'use strict';
// The trigger's pure rules, on the compiled modules: what counts as a
// confirmation and how it is normalised, which addresses the allow-list lets
// in, when two posts are the same confirmation, and which Paynet row verifies one.
const path = require('node:path');

const trigger = (name) => require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'trigger', `${name}.js`));
const { parseConfirmation, sameAmount } = trigger('confirmation');
const { parseIp, parseRange, parseAllowList, isAllowed } = trigger('ipAllowList');
const { confirmationKey, rememberAccepted, wasAccepted, DEDUPE_CAPACITY, KEY_LENGTH } = trigger('dedupe');
const { matchesConfirmation } = trigger('verify');

const paynetPost = {
	referance_no: 'INV-2024-0042',
	xact_date: '2024-05-31T14:05:09.123',
	agent_id: '',
	bank_id: 'AXSS',
	instalment: 0,
	card_holder: 'Ayşe Yılmaz',
	card_number: '435508****4358',
	amount: 1234.56,
	netAmount: 1196.67,
	comission: 30.74,
	comission_tax: 6.15,
	currency: 'TRY',
	authorization_code: '123456',
	order_id: 'ORD1001',
	is_succeed: true,
};

describe('a posted confirmation is normalised to the documented names and types', () => {
	test("Paynet's spellings become reference_no and net_amount, and nothing else is renamed", () => {
		const result = parseConfirmation(paynetPost);
		expect(result.ok).toBe(true);
		expect(result.confirmation).toEqual({
			reference_no: 'INV-2024-0042',
			xact_date: '2024-05-31T14:05:09.123',
			agent_id: '',
			bank_id: 'AXSS',
			instalment: 0,
			card_holder: 'Ayşe Yılmaz',
			card_number: '435508****4358',
			amount: 1234.56,
			net_amount: 1196.67,
			comission: 30.74,
			comission_tax: 6.15,
			currency: 'TRY',
			authorization_code: '123456',
			order_id: 'ORD1001',
			is_succeed: true,
		});
		expect(result.confirmation).not.toHaveProperty('referance_no');
		expect(result.confirmation).not.toHaveProperty('netAmount');
	});

	test('a form post (every value a string, Turkish amounts, "True") gives the same numbers and booleans', () => {
		const form = Object.fromEntries(Object.entries(paynetPost).map(([key, value]) => [key, String(value)]));
		form.amount = '1.234,56';
		form.netAmount = '1196,67';
		form.is_succeed = 'True';
		const { confirmation } = parseConfirmation(form);
		expect(confirmation).toMatchObject({
			amount: 1234.56,
			net_amount: 1196.67,
			comission: 30.74,
			instalment: 0,
			is_succeed: true,
			order_id: 'ORD1001',
		});
	});

	test('is_succeed false is a confirmation too (of a failed payment)', () => {
		expect(parseConfirmation({ ...paynetPost, is_succeed: 'false' }).confirmation.is_succeed).toBe(false);
	});

	test('an empty reference is null, so the payment is looked up another way', () => {
		expect(parseConfirmation({ ...paynetPost, referance_no: '' }).confirmation.reference_no).toBeNull();
	});

	test('the correctly spelled reference_no is read when Paynet sends that instead', () => {
		const { referance_no, ...rest } = paynetPost;
		expect(parseConfirmation({ ...rest, reference_no: referance_no }).confirmation.reference_no).toBe(referance_no);
	});

	test.each([
		['not an object', ['a'], /not a JSON object/],
		['no amount', { ...paynetPost, amount: undefined }, /^amount /],
		['amount that is text', { ...paynetPost, amount: 'bedava' }, /^amount /],
		['zero amount', { ...paynetPost, amount: 0 }, /^amount /],
		['no is_succeed', { ...paynetPost, is_succeed: undefined }, /^is_succeed /],
		['is_succeed that is not a boolean', { ...paynetPost, is_succeed: 'maybe' }, /^is_succeed /],
		['a reference that is an object', { ...paynetPost, referance_no: { $ne: null } }, /^reference_no /],
		[
			'nothing to look the payment up by',
			{ amount: 10, is_succeed: true, referance_no: '', order_id: '', authorization_code: null },
			/all missing/,
		],
		['an unrelated webhook', { event: 'push', ref: 'refs/heads/main' }, /^amount /],
	])('a body with %s is not a confirmation', (_case, body, problem) => {
		const result = parseConfirmation(body);
		expect(result.ok).toBe(false);
		expect(result.problem).toMatch(problem);
	});

	test('amounts are compared to the cent, whatever notation they came in', () => {
		expect(sameAmount(120.5, '120,50')).toBe(true);
		expect(sameAmount('1.234,56', 1234.56)).toBe(true);
		expect(sameAmount(0.1 + 0.2, 0.3)).toBe(true);
		expect(sameAmount(120.5, 120.51)).toBe(false);
		expect(sameAmount(120.5, undefined)).toBe(false);
	});
});

describe('IP allow-list', () => {
	test.each([
		['10.0.0.0/8', '10.255.3.4', true],
		['10.0.0.0/8', '11.0.0.1', false],
		['192.168.1.0/24', '192.168.1.255', true],
		['192.168.1.0/24', '192.168.2.1', false],
		['192.168.1.128/25', '192.168.1.127', false],
		['192.168.1.128/25', '192.168.1.200', true],
		['203.0.113.7', '203.0.113.7', true],
		['203.0.113.7', '203.0.113.8', false],
		['0.0.0.0/0', '8.8.8.8', true],
		['0.0.0.0/0', '2001:db8::1', false],
		// What a dual-stack server reports for an IPv4 client.
		['203.0.113.7', '::ffff:203.0.113.7', true],
		['10.0.0.0/8', '::ffff:10.1.2.3', true],
		['10.0.0.0/8', '::ffff:a01:203', true],
		['::ffff:10.0.0.0/104', '10.9.9.9', true],
		['::ffff:10.0.0.0/104', '11.9.9.9', false],
		['2001:db8::/32', '2001:db8:1234::1', true],
		['2001:db8::/32', '2001:db9::1', false],
		['2001:db8:0:0:0:0:0:1', '2001:db8::1', true],
		['2001:DB8::1', '2001:db8::1', true],
		['::1', '::1', true],
		['::1', '127.0.0.1', false],
		['fe80::/10', 'fe80::1%eth0', true],
		['2001:db8::/127', '2001:db8::1', true],
		['2001:db8::/128', '2001:db8::1', false],
	])('%s lets in %s: %s', (entry, ip, allowed) => {
		const { ranges, invalid } = parseAllowList(entry);
		expect(invalid).toEqual([]);
		expect(isAllowed(ranges, ip)).toBe(allowed);
	});

	test('entries may be separated by commas, spaces or new lines', () => {
		const { ranges, invalid } = parseAllowList(' 10.0.0.0/8,192.168.0.1\n2001:db8::/32 ,, ');
		expect(invalid).toEqual([]);
		expect(ranges.map((range) => range.entry)).toEqual(['10.0.0.0/8', '192.168.0.1', '2001:db8::/32']);
	});

	test.each([
		'10.0.0.0/33',
		'256.1.1.1',
		'10.0.0',
		'010.0.0.1',
		'10.0.0.1/8/8',
		'10.0.0.1/',
		'2001:db8::/129',
		'2001:db8:::1',
		'1::2::3',
		'1:2:3:4:5:6:7:8:9',
		'12345::1',
		'::ffff:10.0.0.0/95',
		'example.com',
		'*',
	])('"%s" is refused as an entry', (entry) => {
		expect(parseRange(entry)).toBeUndefined();
		expect(parseAllowList(`10.0.0.0/8, ${entry}`).invalid).toEqual([entry]);
	});

	test('an unreadable or missing client address is never allowed', () => {
		const { ranges } = parseAllowList('0.0.0.0/0, ::/0');
		expect(isAllowed(ranges, undefined)).toBe(false);
		expect(isAllowed(ranges, 'unknown')).toBe(false);
		expect(isAllowed(ranges, '10.0.0.1')).toBe(true);
	});

	test('addresses parse to bytes, IPv4-mapped ones as IPv4', () => {
		expect(parseIp('::ffff:1.2.3.4')).toEqual({ version: 4, bytes: [1, 2, 3, 4] });
		expect(parseIp('::1')).toEqual({ version: 6, bytes: [...new Array(15).fill(0), 1] });
		expect(parseIp('1:2:3:4:5:6:1.2.3.4').bytes).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
	});
});

describe('deduplication keys', () => {
	const confirmation = parseConfirmation(paynetPost).confirmation;

	test('the same confirmation, as JSON or as a form with Turkish amounts, has the same key', () => {
		const form = parseConfirmation({ ...paynetPost, amount: '1.234,56', instalment: '0' }).confirmation;
		expect(confirmationKey(form)).toBe(confirmationKey(confirmation));
		expect(confirmationKey(confirmation)).toMatch(/^[0-9a-f]{16}$/);
	});

	test.each([
		['reference', { referance_no: 'INV-2024-0043' }],
		['order id', { order_id: 'ORD1002' }],
		['authorization code', { authorization_code: '654321' }],
		['amount', { amount: 1234.57 }],
		['payment time', { xact_date: '2024-05-31T14:05:10.000' }],
	])('a different %s is a different confirmation', (_field, change) => {
		const other = parseConfirmation({ ...paynetPost, ...change }).confirmation;
		expect(confirmationKey(other)).not.toBe(confirmationKey(confirmation));
	});

	test('fields that do not identify the payment do not change the key', () => {
		const other = parseConfirmation({ ...paynetPost, card_holder: 'A. Yılmaz', bank_id: 'BONS' }).confirmation;
		expect(confirmationKey(other)).toBe(confirmationKey(confirmation));
	});

	const key = (number) => number.toString(16).padStart(KEY_LENGTH, '0');

	test(`only the last ${DEDUPE_CAPACITY} accepted keys are kept, oldest forgotten first`, () => {
		const staticData = {};
		for (let index = 0; index < DEDUPE_CAPACITY + 5; index++) rememberAccepted(staticData, key(index));
		expect(staticData.acceptedConfirmations).toHaveLength(DEDUPE_CAPACITY * KEY_LENGTH);
		expect(wasAccepted(staticData, key(0))).toBe(false);
		expect(wasAccepted(staticData, key(4))).toBe(false);
		expect(wasAccepted(staticData, key(5))).toBe(true);
		expect(wasAccepted(staticData, key(DEDUPE_CAPACITY + 4))).toBe(true);
	});

	test('a key is stored once, however often it is remembered', () => {
		const staticData = {};
		rememberAccepted(staticData, key(0xa));
		rememberAccepted(staticData, key(0xb));
		rememberAccepted(staticData, key(0xa));
		expect(staticData.acceptedConfirmations).toBe(key(0xb) + key(0xa));
	});

	test('the end of one key and the start of the next are no key', () => {
		const staticData = {};
		rememberAccepted(staticData, '00000000ffffffff');
		rememberAccepted(staticData, 'eeeeeeee00000000');
		expect(wasAccepted(staticData, 'ffffffffeeeeeeee')).toBe(false);
		expect(wasAccepted(staticData, 'eeeeeeee00000000')).toBe(true);
	});

	test('keys saved in the earlier format (an array of full SHA-256 keys) still count', () => {
		const fullKey = `${confirmationKey(confirmation)}${'0'.repeat(64 - KEY_LENGTH)}`;
		const staticData = { acceptedConfirmations: [fullKey] };
		expect(wasAccepted(staticData, confirmationKey(confirmation))).toBe(true);
		rememberAccepted(staticData, key(1));
		expect(staticData.acceptedConfirmations).toBe(confirmationKey(confirmation) + key(1));
	});
});

describe('which Paynet transaction row verifies a confirmation', () => {
	const confirmation = parseConfirmation(paynetPost).confirmation;
	const row = {
		reference_no: 'INV-2024-0042',
		amount: 1234.56,
		is_succeed: true,
		authorization_code: '123456',
		order_id: 'ORD1001',
	};

	test('the same payment, succeeded, with the posted gross amount', () => {
		expect(matchesConfirmation(row, confirmation)).toBe(true);
	});

	test.each([
		['failed', { is_succeed: false }],
		['a different amount', { amount: 1234.55 }],
		['another authorization code', { authorization_code: '999999' }],
		['another order id', { order_id: 'ORD9' }],
		['another reference', { reference_no: 'INV-OTHER' }],
	])('not a row that is %s', (_case, change) => {
		expect(matchesConfirmation({ ...row, ...change }, confirmation)).toBe(false);
	});

	test('a code missing on either side is not a disagreement', () => {
		expect(matchesConfirmation({ ...row, authorization_code: '', order_id: null }, confirmation)).toBe(true);
		const withoutCodes = parseConfirmation({ ...paynetPost, authorization_code: '', order_id: '' }).confirmation;
		expect(matchesConfirmation(row, withoutCodes)).toBe(true);
	});
});
