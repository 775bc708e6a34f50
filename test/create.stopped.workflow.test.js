'use strict';
// Without Continue On Fail a failure stops Create; the links that exist by
// then must not be lost: the error counts and names them and says how to
// run again without duplicates.
const { usePaynetServer, runPaynet, createWithReference, sheetRows } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';

const paynet = usePaynetServer();

const create = createWithReference;
const rows = sheetRows;
const refused = {
	status: 400,
	body: JSON.stringify({ type: 'invalid_request_error', message: 'Geçersiz', code: 400, result_code: 11 }),
};

const run = async (items, parameters) => await runPaynet(paynet, { items, parameters });

describe('a stopped Create loses no link', () => {
	test('a late row fails while earlier creates are still in flight: they finish, and the error names every one', async () => {
		// Rows 0 and 1 are slow, row 2 is refused at once; concurrency 3 has all three in flight together.
		paynet.when(CREATE, (body) => body.reference_no === 'REF-0' || body.reference_no === 'REF-1', { delayMs: 400 });
		paynet.when(CREATE, (body) => body.reference_no === 'REF-2', refused);
		const { error, items } = await run(rows(6), create({ concurrency: 3 }));

		expect(items).toHaveLength(0);
		expect(paynet.maxInFlight).toBe(3);
		const links = paynet.state.payLinks;
		expect(links.map((link) => link.reference_no).sort()).toEqual(['REF-0', 'REF-1']);
		// no new create started after the failure
		expect(paynet.requestsTo(CREATE)).toHaveLength(3);

		expect(error.message).toBe(
			'Item 2 (reference REF-2): Paynet: Geçersiz (HTTP 400, invalid_request_error, return code 11 badrequest). ' +
				'The node stopped after 2 PayLinks had been created in this run (listed in the details)',
		);
		for (const link of links) expect(error.description).toContain(`${link.reference_no} → id ${link.id} ${link.url}`);
		expect(error.description).toMatch(/^Created before the node stopped \(2\): REF-0 → id .*; REF-1 → id /);
		expect(error.description).toMatch(
			/give every row a Reference No, turn on Options → Skip Existing PayLinks and run the same rows again/,
		);
	});

	test('the re-run the error suggests creates only what is missing', async () => {
		paynet.when(CREATE, (body) => body.reference_no === 'REF-2', refused);
		await run(rows(4), create({ concurrency: 1 }));
		expect(paynet.state.payLinks.map((link) => link.reference_no)).toEqual(['REF-0', 'REF-1']);

		paynet.rules.length = 0;
		const { error, items } = await run(rows(4), create({ concurrency: 1, skipExisting: true }));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.skipped)).toEqual([true, true, false, false]);
		expect(paynet.state.payLinks.map((link) => link.reference_no)).toEqual(['REF-0', 'REF-1', 'REF-2', 'REF-3']);
	});

	test('past 50 links the error names the first 50 and counts the rest', async () => {
		paynet.when(CREATE, (body) => body.reference_no === 'REF-60', refused);
		const { error } = await run(rows(62), create({ concurrency: 1 }));
		expect(error.message).toMatch(/The node stopped after 60 PayLinks had been created in this run/);
		expect(error.description).toMatch(/^Created before the node stopped \(60\): REF-0 → id /);
		expect(error.description).toContain('REF-49 → id ');
		expect(error.description).not.toContain('REF-50 → id ');
		expect(error.description).toContain('; and 10 more.');
	});

	test('links made without a reference are counted and the re-run advice warns about them', async () => {
		const sheet = [
			{ name: 'A', total: 10 },
			{ name: 'B', total: 11, ref: 'REF-B' },
			{ name: 'C', total: 12, ref: 'x'.repeat(60) },
		];
		const { error } = await run(sheet, create({ concurrency: 1 }));
		expect(error.message).toMatch(/The node stopped after 2 PayLinks had been created/);
		expect(error.description).toMatch(/\(no reference\) → id /);
		expect(error.description).toMatch(/1 of them had no Reference No: remove those rows before running again/);
	});

	test('a failure before any link exists says nothing about created links', async () => {
		paynet.when(CREATE, () => true, refused);
		const { error } = await run(rows(3), create({ concurrency: 1 }));
		expect(error.message).toBe(
			'Item 0 (reference REF-0): Paynet: Geçersiz (HTTP 400, invalid_request_error, return code 11 badrequest)',
		);
		expect(error.description).not.toMatch(/Created before/);
	});
});
