'use strict';
// The trigger's pure rules, on the compiled modules: what counts as a
// confirmation and how it is normalised, which addresses the allow-list lets
// in, when two posts are the same confirmation, and which Paynet row verifies one.
const path = require('node:path');
const { createHash } = require('node:crypto');

const built = (folder, name) => require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', folder, `${name}.js`));
const trigger = (name) => built('trigger', name);
const { parseConfirmation, sameAmount } = built('confirmation', 'post');
const { parseIp, parseRange, parseAllowList, isAllowed } = built('confirmation', 'allowedIps');
const { lookupKey, isReferenceLess, postFingerprint, referenceOf, KNOWN_FIELDS } = built('confirmation', 'post');
const {
	confirmationKey,
	transactionKey,
	rememberAccepted,
	readMemory,
	remembers,
	memoryHorizon,
	MEMORY_KEY,
	FORGOTTEN_KEY,
	MEMORY_MAX_ENTRIES,
	MEMORY_TTL_MS,
} = trigger('dedupe');
// What one post reads of the memory, as handleConfirmation reads it.
const wasAccepted = (staticData, key) => remembers(readMemory(staticData), key);
const {
	registryFor,
	markAccepted,
	recentlyAccepted,
	acceptedSince,
	acceptedUpTo,
	acquireLookup,
	releaseLookup,
	LOOKUPS_MAX_IN_FLIGHT,
	LOOKUP_QUEUE_MAX,
	RECENT_MAX,
	RECENT_TTL_MS,
	TEST_TTL_MS,
} = trigger('registry');
const { pickRow } = trigger('verify');
const { matchesConfirmation } = built('confirmation', 'post');
const { referenceLessProblem } = trigger('verifyByListing');
const { verifiedItem } = trigger('lookUp');
const { istanbulInstant } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'helpers', 'dates.js'));

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
		const { referance_no, netAmount, ...unchanged } = paynetPost;
		expect(result.confirmation).toEqual({ ...unchanged, reference_no: referance_no, net_amount: netAmount });
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
		expect(confirmationKey(confirmation)).toMatch(/^post:[0-9a-f]{32}$/);
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

	test("verified, the key is Paynet's transaction: xact_id, else the row id, never the posted fields", () => {
		const row = { xact_id: 'xk_1', id: 7, amount: 10, reference_no: 'A' };
		// Paynet's own id, as a person finds it in Paynet's panel.
		expect(transactionKey(row)).toBe('xact:xk_1');
		expect(transactionKey({ ...row, amount: 11, reference_no: 'B', xact_date: 'x' })).toBe(transactionKey(row));
		expect(transactionKey({ ...row, xact_id: 'xk_2' })).not.toBe(transactionKey(row));
		expect(transactionKey({ ...row, xact_id: '' })).toBe('id:7');
		expect(transactionKey({ id: 7 })).not.toBe(transactionKey({ id: 8 }));
		// A row id and an xact_id that happen to read alike are different transactions.
		expect(transactionKey({ xact_id: '7' })).not.toBe(transactionKey({ id: 7 }));
		expect(transactionKey({ amount: 10, reference_no: 'A' })).toMatch(/^row:[0-9a-f]{32}$/);
	});
});

describe('the memory of accepted payments (static data)', () => {
	const NOW = Date.UTC(2027, 0, 15, 12);
	const HOUR = 60 * 60 * 1000;
	const iso = (ms) => new Date(ms).toISOString();

	test('each accepted payment is one readable property: its key, and Paynet’s payment time as an ISO instant', () => {
		const staticData = {};
		rememberAccepted(staticData, [{ key: 'xact:xk_1', paidAtMs: NOW - 59_000 }], NOW);
		expect(staticData).toEqual({ [MEMORY_KEY]: { 'xact:xk_1': '2027-01-15T11:59:01.000Z' } });
		expect(JSON.parse(JSON.stringify(staticData))).toEqual(staticData);
		expect(wasAccepted(staticData, 'xact:xk_1')).toBe(true);
		expect(wasAccepted(staticData, 'xact:xk_2')).toBe(false);
		// Inherited names are no payments.
		expect(wasAccepted(staticData, 'constructor')).toBe(false);
		expect(memoryHorizon(staticData)).toBeUndefined();
	});

	test('keys that look like numbers keep their order: every key has a prefix', () => {
		const staticData = {};
		rememberAccepted(staticData, [{ key: transactionKey({ xact_id: '900' }), paidAtMs: NOW }], NOW);
		rememberAccepted(staticData, [{ key: transactionKey({ xact_id: '100' }), paidAtMs: NOW }], NOW);
		expect(Object.keys(staticData[MEMORY_KEY])).toEqual(['xact:900', 'xact:100']);
	});

	test(`a memory of ${MEMORY_MAX_ENTRIES} holds; past it the oldest are dropped, however young, and the horizon moves to the newest time among them`, () => {
		const staticData = {};
		const batch = Array.from({ length: MEMORY_MAX_ENTRIES + 5 }, (_, index) => ({
			key: `xact:${index}`,
			paidAtMs: NOW - HOUR + index,
		}));
		// Entries are in accept order, not payment order: a late confirmation of an older payment.
		batch[2].paidAtMs = NOW - 2 * HOUR;
		rememberAccepted(staticData, batch, NOW);
		expect(Object.keys(staticData[MEMORY_KEY])).toHaveLength(MEMORY_MAX_ENTRIES);
		expect(wasAccepted(staticData, 'xact:4')).toBe(false);
		expect(wasAccepted(staticData, 'xact:5')).toBe(true);
		expect(wasAccepted(staticData, `xact:${MEMORY_MAX_ENTRIES + 4}`)).toBe(true);
		expect(staticData[FORGOTTEN_KEY]).toBe(iso(batch[4].paidAtMs));
		expect(memoryHorizon(staticData)).toBe(batch[4].paidAtMs);
		// One more: one more dropped, and the horizon follows it.
		rememberAccepted(staticData, [{ key: 'xact:next', paidAtMs: NOW }], NOW);
		expect(wasAccepted(staticData, 'xact:5')).toBe(false);
		expect(Object.keys(staticData[MEMORY_KEY])).toHaveLength(MEMORY_MAX_ENTRIES);
		expect(memoryHorizon(staticData)).toBe(batch[5].paidAtMs);
	});

	test('payments Paynet dated more than 7 days ago are dropped by age, and the horizon moves to them', () => {
		const staticData = {};
		rememberAccepted(
			staticData,
			[
				{ key: 'xact:old', paidAtMs: NOW - MEMORY_TTL_MS - HOUR },
				{ key: 'xact:older-but-later', paidAtMs: NOW - MEMORY_TTL_MS - 2 * HOUR },
				{ key: 'xact:young', paidAtMs: NOW - MEMORY_TTL_MS + HOUR },
			],
			NOW - 2 * HOUR,
		);
		expect(Object.keys(staticData[MEMORY_KEY])).toHaveLength(3);
		expect(memoryHorizon(staticData)).toBeUndefined();
		rememberAccepted(staticData, [{ key: 'xact:new', paidAtMs: NOW }], NOW);
		expect(Object.keys(staticData[MEMORY_KEY])).toEqual(['xact:young', 'xact:new']);
		expect(memoryHorizon(staticData)).toBe(NOW - MEMORY_TTL_MS - HOUR);
	});

	test('an entry kept out of order waits for those before it, never shortening anyone’s 7 days', () => {
		const staticData = {};
		rememberAccepted(
			staticData,
			[
				{ key: 'xact:young', paidAtMs: NOW - HOUR },
				{ key: 'xact:old', paidAtMs: NOW - MEMORY_TTL_MS - HOUR },
			],
			NOW,
		);
		expect(Object.keys(staticData[MEMORY_KEY])).toEqual(['xact:young', 'xact:old']);
		expect(memoryHorizon(staticData)).toBeUndefined();
	});

	test('hand-edited times never move the horizon past now, and an unreadable horizon covers everything up to now', () => {
		const staticData = { [MEMORY_KEY]: { 'xact:edited': 'last Tuesday', 'xact:a': iso(NOW) } };
		rememberAccepted(staticData, [{ key: 'xact:b', paidAtMs: NOW }], NOW, 2);
		expect(Object.keys(staticData[MEMORY_KEY])).toEqual(['xact:a', 'xact:b']);
		expect(memoryHorizon(staticData)).toBe(NOW + 5 * 60 * 1000);
		// A memory that is not an object (edited by hand) counts as empty, and is replaced.
		const broken = { [MEMORY_KEY]: 'abc' };
		expect(wasAccepted(broken, 'abc')).toBe(false);
		rememberAccepted(broken, [{ key: 'xact:c', paidAtMs: NOW }], NOW);
		expect(broken[MEMORY_KEY]).toEqual({ 'xact:c': iso(NOW) });
		expect(memoryHorizon({ [FORGOTTEN_KEY]: 'soon' })).toBeGreaterThan(Date.now());
	});

	test('the horizon never moves back', () => {
		const staticData = { [FORGOTTEN_KEY]: iso(NOW - HOUR) };
		rememberAccepted(staticData, [{ key: 'xact:1', paidAtMs: NOW - MEMORY_TTL_MS - 2 * HOUR }], NOW);
		expect(memoryHorizon(staticData)).toBe(NOW - HOUR);
	});

	test('changes reach n8n: the memory is assigned again, not only changed in place', () => {
		const writes = [];
		const staticData = new Proxy(
			{},
			{
				set(target, name, value) {
					writes.push(name);
					return Reflect.set(target, name, value);
				},
			},
		);
		rememberAccepted(staticData, [{ key: 'xact:1', paidAtMs: NOW }], NOW);
		rememberAccepted(staticData, [{ key: 'xact:2', paidAtMs: NOW }], NOW);
		expect(writes).toEqual([MEMORY_KEY, MEMORY_KEY]);
	});
});

describe('what one process remembers (the registry)', () => {
	/** Accepted payments the registry holds: its queue past the moving head. */
	const recentCount = (registry) => registry.recent.length - registry.oldest;
	const accepted = (key) => ({ key, paidAtMs: 1_800_000_000_000 });

	test('accepted payments are kept for 7 days and up to a count; later ones are found after a sequence mark', () => {
		const registry = registryFor(`units-${Math.random()}`, 'node');
		expect(registryFor('same workflow', 'x')).toBe(registryFor('same workflow', 'x'));
		expect(registryFor('same workflow', 'y')).not.toBe(registryFor('same workflow', 'x'));
		expect(RECENT_TTL_MS).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
		const start = 1_000_000;
		markAccepted(registry, accepted('a'), start);
		const mark = registry.sequence;
		markAccepted(registry, accepted('b'), start + 1);
		expect(recentlyAccepted(registry, 'a', start + 6 * 24 * 3600 * 1000)).toBe(true);
		expect(acceptedSince(registry, mark)).toEqual([accepted('b')]);
		expect(recentlyAccepted(registry, 'a', start + RECENT_TTL_MS + 1)).toBe(false);
		for (let index = 0; index < RECENT_MAX + 10; index++) markAccepted(registry, accepted(`k${index}`), start + 2);
		expect(recentCount(registry)).toBe(RECENT_MAX);
		expect(registry.recentByKey.size).toBe(RECENT_MAX);
		expect(recentlyAccepted(registry, 'b', start + 2)).toBe(false);
		expect(recentlyAccepted(registry, `k${RECENT_MAX + 9}`, start + 2)).toBe(true);
		// Long after: still the newest, in order, and the queue's storage stays bounded.
		for (let index = 0; index < 3 * RECENT_MAX; index++) markAccepted(registry, accepted(`m${index}`), start + 3);
		expect(recentCount(registry)).toBe(RECENT_MAX);
		expect(registry.recent.length).toBeLessThanOrEqual(2 * RECENT_MAX + 1);
		const last = 3 * RECENT_MAX - 1;
		expect(acceptedUpTo(registry, registry.sequence, 3).map((entry) => entry.key)).toEqual([
			`m${last - 2}`,
			`m${last - 1}`,
			`m${last}`,
		]);
		expect(acceptedUpTo(registry, registry.sequence, 2 * RECENT_MAX)).toHaveLength(RECENT_MAX);
		expect(recentlyAccepted(registry, `m${last - RECENT_MAX}`, start + 3)).toBe(false);
		expect(recentlyAccepted(registry, `m${last - RECENT_MAX + 1}`, start + 3)).toBe(true);
	});

	test('the Test URL’s registry forgets after 15 minutes, so a sample payment can be tried again', () => {
		const registry = registryFor(`units-${Math.random()}`, 'node:test', TEST_TTL_MS);
		markAccepted(registry, accepted('sample'), 0);
		expect(recentlyAccepted(registry, 'sample', 14 * 60 * 1000)).toBe(true);
		expect(recentlyAccepted(registry, 'sample', 16 * 60 * 1000)).toBe(false);
	});

	test('the last few accepted up to a mark, oldest first', () => {
		const registry = registryFor(`units-${Math.random()}`, 'node');
		for (let index = 0; index < 30; index++) markAccepted(registry, accepted(`k${index}`), 1_000 + index * 100);
		const mark = registry.sequence;
		markAccepted(registry, accepted('after'), 5_000);
		expect(acceptedUpTo(registry, mark, 3).map((entry) => entry.key)).toEqual(['k27', 'k28', 'k29']);
		expect(acceptedUpTo(registry, 2, 16).map((entry) => entry.key)).toEqual(['k0', 'k1']);
	});
});

describe('Paynet look-ups in flight per trigger', () => {
	const never = () => new Promise(() => {});

	test(`at most ${LOOKUPS_MAX_IN_FLIGHT} at once; the others wait their turn, first come first served`, async () => {
		expect(LOOKUPS_MAX_IN_FLIGHT).toBe(4);
		const registry = registryFor(`units-${Math.random()}`, 'node');
		const order = [];
		const waiting = Array.from({ length: 10 }, (_, index) =>
			acquireLookup(registry, never).then((granted) => order.push([index, granted])),
		);
		await new Promise((resolve) => setImmediate(resolve));
		expect(order.map(([index]) => index)).toEqual([0, 1, 2, 3]);
		expect(registry.lookupsInFlight).toBe(4);
		for (let done = 0; done < 10; done++) {
			releaseLookup(registry);
			await new Promise((resolve) => setImmediate(resolve));
			expect(registry.lookupsInFlight).toBeLessThanOrEqual(4);
		}
		await Promise.all(waiting);
		expect(order.map(([index]) => index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(order.every(([, granted]) => granted)).toBe(true);
		expect(registry.lookupsInFlight).toBe(0);
	});

	test('a wait that ends first gives up its place (503), and no slot is lost', async () => {
		const registry = registryFor(`units-${Math.random()}`, 'node');
		for (let index = 0; index < LOOKUPS_MAX_IN_FLIGHT; index++) expect(await acquireLookup(registry, never)).toBe(true);
		let endWait = () => {};
		const gaveUp = acquireLookup(registry, () => new Promise((resolve) => (endWait = resolve)));
		const patient = acquireLookup(registry, never);
		endWait();
		expect(await gaveUp).toBe(false);
		releaseLookup(registry);
		expect(await patient).toBe(true);
		expect(registry.lookupsInFlight).toBe(LOOKUPS_MAX_IN_FLIGHT);
		expect(registry.lookupQueue).toHaveLength(0);
	});

	test(`beyond ${LOOKUP_QUEUE_MAX} waiting, a post is refused at once rather than queued without end`, async () => {
		const registry = registryFor(`units-${Math.random()}`, 'node');
		for (let index = 0; index < LOOKUPS_MAX_IN_FLIGHT + LOOKUP_QUEUE_MAX; index++) void acquireLookup(registry, never);
		expect(await acquireLookup(registry, never)).toBe(false);
	});
});

describe('which of a reference’s rows a confirmation stands for', () => {
	const confirmation = parseConfirmation({ ...paynetPost, xact_date: '2024-05-31T10:00:00' }).confirmation;
	const lastMonth = { xact_id: 'xk_april', xact_date: '2024-04-30T10:00:00.456' };
	const thisMonth = { xact_id: 'xk_may', xact_date: '2024-05-31T10:00:00.000' };
	const accepted =
		(...ids) =>
		(row) =>
			ids.includes(row.xact_id);

	test('times are compared as instants: "…T10:00:00" is "…T10:00:00.000"', () => {
		expect(pickRow([lastMonth, thisMonth], confirmation, accepted())).toBe(thisMonth);
		expect(pickRow([thisMonth, lastMonth], confirmation, accepted())).toBe(thisMonth);
	});

	test('without a row at the posted time, the newest instant', () => {
		const other = parseConfirmation({ ...paynetPost, xact_date: '2024-06-01T00:00:00' }).confirmation;
		const noon = { xact_id: 'xk_noon', xact_date: '2024-05-31T12:00:00' };
		const morningWithZone = { xact_id: 'xk_zone', xact_date: '2024-05-31T12:30:00+03:00' };
		expect(pickRow([noon, morningWithZone, lastMonth], other, accepted())).toBe(morningWithZone);
	});

	test('one already accepted is never chosen over one that is not', () => {
		expect(pickRow([lastMonth, thisMonth], confirmation, accepted('xk_may'))).toBe(lastMonth);
		// All accepted: the same rule as before, so the post is answered duplicate.
		expect(pickRow([lastMonth, thisMonth], confirmation, accepted('xk_may', 'xk_april'))).toBe(thisMonth);
		expect(pickRow([], confirmation, accepted())).toBeUndefined();
	});
});

describe('Paynet datetimes and the reference-less window', () => {
	test('an offset-less Paynet datetime is Istanbul time (UTC+3)', () => {
		expect(istanbulInstant('2024-05-31T14:05:09.123')).toBe(Date.parse('2024-05-31T11:05:09.123Z'));
		expect(istanbulInstant('2024-05-31 14:05')).toBe(Date.parse('2024-05-31T11:05:00Z'));
		expect(istanbulInstant('2024-05-31T14:05:09Z')).toBe(Date.parse('2024-05-31T14:05:09Z'));
		expect(istanbulInstant('2024-02-30T10:00:00')).toBeUndefined();
		expect(istanbulInstant('yesterday')).toBeUndefined();
		expect(istanbulInstant(undefined)).toBeUndefined();
	});

	const now = Date.parse('2024-05-31T12:00:00Z');
	const at = (offsetMs) => new Date(now + offsetMs + 3 * 3600 * 1000).toISOString().replace(/Z$/, '');
	const post = (xactDate) => parseConfirmation({ ...paynetPost, referance_no: '', xact_date: xactDate }).confirmation;

	test.each([
		['now', 0, undefined],
		['47 hours ago', -47 * 3600 * 1000, undefined],
		['4 minutes ahead (clock skew)', 4 * 60 * 1000, undefined],
		['49 hours ago', -49 * 3600 * 1000, /48 hours/],
		['10 minutes ahead', 10 * 60 * 1000, /future/],
	])('a reference-less post dated %s: %s', (_case, offset, problem) => {
		const result = referenceLessProblem(post(at(offset)), now);
		if (problem === undefined) expect(result).toBeUndefined();
		else expect(result).toMatch(problem);
	});

	test('without xact_date, or with one that is no date, there is no day to list', () => {
		expect(referenceLessProblem(post(''), now)).toMatch(/no xact_date/);
		expect(referenceLessProblem(post('soon'), now)).toMatch(/not a date/);
	});
});

describe('how a post is looked up and compared with its copies', () => {
	test('by posted xact_id, else reference, else codes; a post with xact_id is not reference-less', () => {
		const base = parseConfirmation(paynetPost).confirmation;
		const withXact = parseConfirmation({ ...paynetPost, xact_id: 'xk_9' }).confirmation;
		const bare = parseConfirmation({ ...paynetPost, referance_no: '' }).confirmation;
		expect(lookupKey(withXact)).toBe(JSON.stringify(['xact', 'xk_9']));
		expect(lookupKey(base)).toBe(JSON.stringify(['ref', 'INV-2024-0042']));
		expect(lookupKey(bare)).toBe(JSON.stringify(['codes', 'ORD1001', '123456']));
		expect(isReferenceLess(bare)).toBe(true);
		expect(isReferenceLess(parseConfirmation({ ...paynetPost, referance_no: '', xact_id: 'xk_9' }).confirmation)).toBe(
			false,
		);
		expect(base).not.toHaveProperty('xact_id');
	});

	test('a JSON post and its form copy have one fingerprint; any change makes another', () => {
		const json = parseConfirmation(paynetPost).confirmation;
		const form = parseConfirmation(
			Object.fromEntries(
				Object.entries({ ...paynetPost, amount: '1.234,56', is_succeed: 'True' }).map(([k, v]) => [k, String(v)]),
			),
		).confirmation;
		expect(postFingerprint(form)).toBe(postFingerprint(json));
		const reordered = parseConfirmation(Object.fromEntries(Object.entries(paynetPost).reverse())).confirmation;
		expect(postFingerprint(reordered)).toBe(postFingerprint(json));
		expect(postFingerprint(parseConfirmation({ ...paynetPost, card_holder: 'X' }).confirmation)).not.toBe(
			postFingerprint(json),
		);
	});

	test('a log line names the post by reference, xact_id or order id', () => {
		expect(referenceOf({ reference_no: 'INV-1', order_id: 'O' })).toBe('reference INV-1');
		expect(referenceOf({ reference_no: null, xact_id: 'xk_1', order_id: 'O' })).toBe('xact_id xk_1');
		expect(referenceOf({ reference_no: null, order_id: 'O' })).toBe('order_id O');
		// A sender cannot write lines of its own into the log, nor fill it.
		expect(referenceOf({ reference_no: 'INV-1\nPaynet Trigger: accepted' })).toBe(
			'reference INV-1 Paynet Trigger: accepted',
		);
		expect(referenceOf({ reference_no: 'x'.repeat(500) })).toHaveLength('reference '.length + 81);
	});
});

describe("the verified run carries Paynet's row", () => {
	test('the row at top level, the masked card as card_number, the post under posted', () => {
		const confirmation = parseConfirmation({ ...paynetPost, card_holder: 'Made Up', netAmount: 1 }).confirmation;
		const row = {
			xact_id: 'xk_1',
			amount: 1234.56,
			net_amount: 1196.67,
			card_holder: 'Ayşe Yılmaz',
			card_no: '435508******4358',
		};
		const item = verifiedItem(row, confirmation);
		expect(item).toEqual({ ...row, card_number: '435508******4358', verified: true, posted: confirmation });
		expect(item.posted.card_holder).toBe('Made Up');
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

	test("a posted xact_id must be the row's", () => {
		const withXact = parseConfirmation({ ...paynetPost, xact_id: 'xk_1' }).confirmation;
		expect(matchesConfirmation({ ...row, xact_id: 'xk_1' }, withXact)).toBe(true);
		expect(matchesConfirmation({ ...row, xact_id: 'xk_2' }, withXact)).toBe(false);
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

describe('the hand-written confirmation parse', () => {
	// The schema it replaced (it ran on every post and was half of the node's own time); kept
	// here as the reference the parse must agree with, result for result and problem for problem.
	const { z } = require('zod');
	const { readPaynetBoolean, readPaynetNumber } = require(
		path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'helpers', 'normalise.js'),
	);
	const key = z
		.union([z.string(), z.number()])
		.nullish()
		.transform((value) => (value === null || value === undefined ? null : String(value).trim() || null));
	const custom = (read, test, message) =>
		z.unknown().transform((value, context) => {
			const result = read(value);
			if (result === undefined || !test(result)) {
				context.addIssue({ code: z.ZodIssueCode.custom, message });
				return z.NEVER;
			}
			return result;
		});
	const looseNumber = z.unknown().transform((value) => {
		if (value === '' || value === null || value === undefined) return value === '' ? null : value;
		return readPaynetNumber(value) ?? value;
	});
	const schema = z
		.object({
			reference_no: key,
			amount: custom(readPaynetNumber, (number) => number > 0, 'is missing or not a positive number'),
			is_succeed: custom(readPaynetBoolean, () => true, 'is missing or not true/false'),
			xact_date: key,
			order_id: key,
			authorization_code: key,
			xact_id: key,
			net_amount: looseNumber.optional(),
			comission: looseNumber.optional(),
			comission_tax: looseNumber.optional(),
			instalment: looseNumber.optional(),
		})
		.passthrough();
	function rename(body, from, to) {
		if (!(from in body)) return;
		const value = body[from];
		delete body[from];
		if (value !== undefined && value !== null && value !== '') body[to] = value;
		else if (!(to in body)) body[to] = value;
	}
	function reference(body) {
		if (typeof body !== 'object' || body === null || Array.isArray(body))
			return { ok: false, problem: 'the body is not a JSON object or form' };
		const fields = { ...body };
		rename(fields, 'referance_no', 'reference_no');
		rename(fields, 'netAmount', 'net_amount');
		const parsed = schema.safeParse(fields);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return { ok: false, problem: `${issue.path.join('.') || 'body'} ${issue.message}` };
		}
		const confirmation = parsed.data;
		if (!confirmation.xact_id) delete confirmation.xact_id;
		const named = ['reference_no', 'order_id', 'authorization_code', 'xact_id'].some((name) => confirmation[name]);
		if (named) return { ok: true, confirmation };
		return { ok: false, problem: 'referance_no, order_id and authorization_code are all missing' };
	}
	/** Field order and undefined values count too: the item's JSON is what the run gets. */
	const shape = (result) =>
		JSON.stringify(result, (_name, value) => (value === undefined ? '<undefined>' : value)) +
		(result.ok
			? `${Object.keys(result.confirmation).join()} ${Object.getPrototypeOf(result.confirmation) === Object.prototype}`
			: '');

	test('agrees with the schema it replaced on 20,000 generated bodies, JSON- and form-like', () => {
		const values = [
			undefined,
			null,
			'',
			' ',
			' INV-1 ',
			0,
			1,
			-1,
			12.5,
			'120,50',
			'1.234,56',
			'1,234.56',
			'x',
			true,
			false,
			'true',
			'FALSE',
			'1',
			'0',
			{},
			[],
			[1],
			Infinity,
			'\t7\n',
		];
		// Every field the parse decides on, Paynet's spellings of two of them, and what no parse should trip on.
		const names = [...KNOWN_FIELDS, 'referance_no', 'netAmount', 'card_holder', 'extra', '__proto__', '10'];
		// mulberry32: a seeded generator whose low bits are as random as its high ones.
		let seed = 1;
		const pick = (list) => {
			seed = (seed + 0x6d2b79f5) | 0;
			let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return list[((t ^ (t >>> 14)) >>> 0) % list.length];
		};
		const problems = new Set();
		let accepted = 0;
		const disagreements = [];
		for (let index = 0; index < 20_000; index++) {
			const body = {};
			for (let field = pick([0, 2, 4, 6, 8, 10]); field > 0; field--) {
				Object.defineProperty(body, pick(names), {
					value: pick(values),
					enumerable: true,
					writable: true,
					configurable: true,
				});
			}
			if (index % 3 === 0)
				Object.assign(body, { amount: pick([12, '5,5', 1]), is_succeed: pick([true, '1', 'false']) });
			const expected = reference(body);
			if (expected.ok) accepted++;
			else problems.add(expected.problem);
			const actual = shape(parseConfirmation(body));
			if (actual !== shape(expected) && disagreements.length < 3)
				disagreements.push({ body, actual, expected: shape(expected) });
		}
		expect(disagreements).toEqual([]);
		for (const body of [null, 'text', [], 5]) expect(parseConfirmation(body)).toEqual(reference(body));
		// Enough of both kinds for the comparison to mean something.
		expect(accepted).toBeGreaterThan(1000);
		expect([...problems].sort()).toEqual(
			[
				'amount is missing or not a positive number',
				'authorization_code Invalid input',
				'is_succeed is missing or not true/false',
				'order_id Invalid input',
				'reference_no Invalid input',
				'referance_no, order_id and authorization_code are all missing',
				'xact_date Invalid input',
				'xact_id Invalid input',
			].sort(),
		);
	});
});
