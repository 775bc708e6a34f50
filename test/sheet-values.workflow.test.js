'use strict';
// Values as spreadsheets and accounting exports write them, through the
// engine to what Paynet receives: lira amounts and TRUE/1 booleans.
const { usePaynetServer, runPaynet, createFromSheet, listParameters } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';

const paynet = usePaynetServer();

const create = (additionalFields = {}, extra = {}) => createFromSheet({ additionalFields, ...extra });
const continueOnFail = { onError: 'continueRegularOutput' };
const sentBodies = () => paynet.requestsTo(CREATE).map((request) => request.body);

const run = async (items, parameters, nodeSettings) => await runPaynet(paynet, { items, parameters, nodeSettings });

describe('amounts from real sheets', () => {
	test('lira marks, no-break and narrow no-break spaces, and surrounding whitespace are read as Paynet needs them', async () => {
		const cases = [
			['1.234,56 TL', 1234.56],
			['₺1.234,56', 1234.56],
			['TRY 250', 250],
			['250try', 250],
			['tl 99,90', 99.9],
			['1 234,56', 1234.56],
			['1\u00a0234,56 TL', 1234.56],
			['1\u202f234\u202f567,5', 1234567.5],
			['  120.50\n', 120.5],
			['₺ 1,234.56', 1234.56],
		];
		const { items, error } = await run(
			cases.map(([total], index) => ({ name: `Row ${index}`, total })),
			create(),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.amount)).toEqual(cases.map(([, amount]) => amount));
		const byName = Object.fromEntries(sentBodies().map((body) => [body.name_surname, body.amount]));
		expect(cases.map((_case, index) => byName[`Row ${index}`])).toEqual(cases.map(([, amount]) => amount));
	});

	test('another currency, or an ambiguous amount, fails its row only and is never sent', async () => {
		const rows = ['$100', '100 USD', '€ 50', 'EUR 50', '1.234 TL', '1.234', '12 34,56', '150 TL'].map(
			(total, index) => ({ name: `Row ${index}`, total }),
		);
		const { items, error } = await run(rows, create(), continueOnFail);
		expect(error).toBeUndefined();
		const errors = items.map((item) => item.json.error);
		for (const index of [0, 1, 2, 3])
			expect(errors[index]).toMatch(/is in another currency .*Paynet charges Turkish lira/);
		expect(errors[4]).toMatch(/"1\.234 TL" is ambiguous/);
		expect(errors[5]).toMatch(/"1\.234" is ambiguous/);
		expect(errors[6]).toMatch(/spaces may only separate thousands/);
		expect(items[7].json.amount).toBe(150);
		expect(sentBodies().map((body) => body.name_surname)).toEqual(['Row 7']);
	});
});

describe('booleans from real sheets', () => {
	const FIELDS = {
		sendMail: 'send_mail',
		sendSms: 'send_sms',
		addCommissionToAmount: 'addcomission_to_amount',
		sendConfirmationMail: 'send_confirmation_mail',
	};
	const withFlags = (value) => ({
		email: 'payer@example.com',
		phone: '5321234567',
		...Object.fromEntries(Object.keys(FIELDS).map((field) => [field, value])),
	});

	test('TRUE, " true ", 1 and "1" are true; FALSE, "0" and 0 are false, for every boolean field', async () => {
		const values = [true, 'TRUE', ' true ', 'True', 1, '1', false, 'FALSE', 'false', 0, '0'];
		const rows = values.map((flag, index) => ({ name: `Row ${index}`, total: 10, flag }));
		const { items, error } = await run(rows, create(withFlags('={{ $json.flag }}')));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(values.length);
		const bodies = Object.fromEntries(sentBodies().map((body) => [body.name_surname, body]));
		values.forEach((value, index) => {
			const expected = [true, 'TRUE', ' true ', 'True', 1, '1'].includes(value);
			for (const wire of Object.values(FIELDS))
				expect([value, wire, bodies[`Row ${index}`][wire]]).toEqual([value, wire, expected]);
		});
	});

	test('anything else fails the row naming the field, and nothing is sent as false', async () => {
		const values = ['maybe', 'yes', 'no', 2, 'x'];
		for (const field of Object.keys(FIELDS)) {
			paynet.reset();
			const rows = values.map((flag, index) => ({ name: `Row ${index}`, total: 10, flag }));
			const { items } = await run(
				rows,
				create({ email: 'payer@example.com', phone: '5321234567', [field]: '={{ $json.flag }}' }),
				continueOnFail,
			);
			expect(sentBodies()).toHaveLength(0);
			items.forEach((item, index) => {
				expect(item.json.error).toMatch(
					new RegExp(`^Item ${index}: .*\\(${field}\\) must be true or false \\(or 1/0\\), got `),
				);
			});
		}
	});

	test('Skip Existing PayLinks given as "TRUE" from an expression looks the reference up', async () => {
		const { items, error } = await run(
			[{ name: 'A', total: 10, ref: 'INV-77' }],
			create({ referenceNo: '={{ $json.ref }}' }, { options: { skipExisting: '={{ "TRUE" }}' } }),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ reference_no: 'INV-77', skipped: false });
		expect(paynet.requestsTo('/v1/mailorder/detail')).toHaveLength(1);
	});

	test('Skip Existing PayLinks given as "maybe" stops the node before anything is sent', async () => {
		const { error } = await run(
			[{ name: 'A', total: 10, ref: 'INV-77' }],
			create({ referenceNo: '={{ $json.ref }}' }, { options: { skipExisting: '={{ "maybe" }}' } }),
		);
		expect(error.message).toBe(
			'Options → Skip Existing PayLinks (skipExisting) must be true or false (or 1/0), got "maybe"',
		);
		expect(paynet.requests).toHaveLength(0);
	});

	test('List Return All read per item: "TRUE" and 1 return all, "false" returns Limit, "maybe" fails the item', async () => {
		paynet.seedPayLinks(120, { from: '2024-03-05' });
		const list = listParameters({ returnAll: '={{ $json.all }}', limit: 5 });
		const { items } = await run(
			[{ all: 'TRUE' }, { all: 1 }, { all: 'false' }, { all: 'maybe' }],
			list,
			continueOnFail,
		);
		const count = (item) => items.filter((output) => output.pairedItem.item === item).length;
		expect([count(0), count(1), count(2), count(3)]).toEqual([120, 120, 5, 1]);
		expect(items.find((output) => output.pairedItem.item === 3).json.error).toBe(
			'Item 3: Return All (returnAll) must be true or false (or 1/0), got "maybe"',
		);
	});
});
