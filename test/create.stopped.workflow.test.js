'use strict';
// Without Continue On Fail a failure stops Create; the links that exist by
// then must not be lost: the error counts and names them and says how to
// run again without duplicates.
const { usePaynetServer, runPaynet, createWithReference, createFromSheet, sheetRows } = require('./harness/paynetTest');

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

	test("issue 21: A refused, B times out in flight, C succeeds — the error names C's link and B as may-exist, none starts after", async () => {
		// Concurrency 3 has all three in flight together: A is refused at once, C answers after 300 ms, B never answers.
		paynet.when(CREATE, (body) => body.reference_no === 'REF-0', refused);
		paynet.when(CREATE, (body) => body.reference_no === 'REF-1', { hang: true });
		paynet.when(CREATE, (body) => body.reference_no === 'REF-2', { delayMs: 300 });
		const { error, items } = await run(rows(5), create({ concurrency: 3, timeout: 1500 }));

		expect(items).toHaveLength(0);
		// B reached Paynet; no row started after A's failure
		expect(
			paynet
				.requestsTo(CREATE)
				.map((request) => JSON.parse(request.raw).reference_no)
				.sort(),
		).toEqual(['REF-0', 'REF-1', 'REF-2']);
		const [linkC] = paynet.state.payLinks;
		expect(linkC.reference_no).toBe('REF-2');

		expect(error.message).toBe(
			'Item 0 (reference REF-0): Paynet: Geçersiz (HTTP 400, invalid_request_error, return code 11 badrequest). ' +
				'The node stopped after 1 PayLink had been created in this run; 1 create may have made a PayLink (outcome unknown) (listed in the details)',
		);
		expect(error.description).toContain(`Created before the node stopped (1): REF-2 → id ${linkC.id} ${linkC.url}.`);
		expect(error.description).toMatch(
			/Outcome unknown, may have been created \(1\): item 1, reference REF-1: check with PayLink → Get, Look Up By Reference No "REF-1" \(Paynet at 127\.0\.0\.1:\d+ did not answer in time\)\./,
		);
		expect(error.description).toMatch(/turn on Options → Skip Existing PayLinks and run the same rows again/);
		expect(error.description).not.toMatch(/Also failed/);
	});

	test('issue 21: a failure learned from a create still in flight is not dropped', async () => {
		paynet.when(CREATE, (body) => body.reference_no === 'REF-0', refused);
		// REF-1 is refused too, but only after REF-0's refusal has stopped the run
		paynet.when(CREATE, (body) => body.reference_no === 'REF-1', {
			delayMs: 200,
			status: 400,
			body: JSON.stringify({ type: 'invalid_request_error', message: 'Geçersiz telefon', code: 400, result_code: 11 }),
		});
		paynet.when(CREATE, (body) => body.reference_no === 'REF-2', { delayMs: 200 });
		const { error } = await run(rows(4), create({ concurrency: 3 }));
		expect(paynet.requestsTo(CREATE)).toHaveLength(3);
		expect(error.message).toMatch(/^Item 0 \(reference REF-0\): Paynet: Geçersiz \(HTTP 400/);
		expect(error.message).toMatch(
			/The node stopped after 1 PayLink had been created in this run \(listed in the details\)$/,
		);
		expect(error.description).toMatch(/^Created before the node stopped \(1\): REF-2 → id /);
		expect(error.description).toContain(
			'Also failed, nothing created (1): item 1, reference REF-1: Paynet: Geçersiz telefon (HTTP 400, invalid_request_error, return code 11 badrequest).',
		);
	});

	test('issue 21: a create with no reference whose outcome is unknown is named by row, name and amount', async () => {
		paynet.when(CREATE, (body) => body.name_surname === 'Row 0', { status: 502 });
		paynet.when(CREATE, (body) => body.name_surname === 'Row 1', { delayMs: 200 });
		const sheet = [
			{ name: 'Row 0', total: '1.234,50' },
			{ name: 'Row 1', total: 11 },
		];
		const { error } = await run(sheet, createFromSheet({ options: { concurrency: 2 } }));
		expect(error.message).toMatch(
			/The node stopped after 1 PayLink had been created in this run; 1 create may have made a PayLink \(outcome unknown\)/,
		);
		expect(error.description).toContain(
			"Outcome unknown, may have been created (1): item 0, no reference (Row 0, 1234.5): check with PayLink → List over today's date for a link with this name and amount",
		);
		expect(error.description).toMatch(/2 of them had no Reference No: remove those rows before running again/);
	});

	test('issue 21: a lone timeout stops the run with its own advice, nothing added', async () => {
		paynet.inject(CREATE, { hang: true });
		const { error } = await run(rows(1), create({ timeout: 1000 }));
		expect(error.message).toMatch(
			/^Item 0 \(reference REF-0\): Paynet at .* did not answer in time\. The PayLink may have been created$/,
		);
		expect(error.description).toMatch(/PayLink → Get by reference number "REF-0"/);
	});

	test('issue 21: with Skip Existing, a row still looking up when another fails never sends its create', async () => {
		paynet.when(CREATE, (body) => body.reference_no === 'REF-0', refused);
		paynet.when('/v1/mailorder/detail', (body) => body.reference_no === 'REF-1', { delayMs: 300 });
		const { error } = await run(rows(3), create({ concurrency: 2, skipExisting: true }));
		expect(paynet.requestsTo(CREATE).map((request) => JSON.parse(request.raw).reference_no)).toEqual(['REF-0']);
		expect(error.message).toBe(
			'Item 0 (reference REF-0): Paynet: Geçersiz (HTTP 400, invalid_request_error, return code 11 badrequest). ' +
				'1 more row was not created before the node stopped (listed in the details)',
		);
		expect(error.description).toMatch(/^Not sent, the node was already stopping \(1\): item 1, reference REF-1\./);
	});

	describe("Paynet's own timeout and server error (return codes 8 and 10) leave the outcome open", () => {
		const timeoutAfterCreating = {
			afterDoing: true,
			status: 200,
			body: JSON.stringify({ code: 10, message: 'Zaman aşımı' }),
		};
		const serverErrorObject = {
			delayMs: 100,
			status: 400,
			body: JSON.stringify({ type: 'api_error', message: 'Sunucu hatası', code: 400, result_code: 8 }),
		};

		test('both are listed as "outcome unknown", never as "nothing created"; the Skip Existing re-run finds the one Paynet made and creates the other once', async () => {
			paynet.when(CREATE, (body) => body.reference_no === 'REF-0', { delayMs: 300 });
			paynet.when(CREATE, (body) => body.reference_no === 'REF-1', timeoutAfterCreating);
			paynet.when(CREATE, (body) => body.reference_no === 'REF-2', serverErrorObject);
			const { error } = await run(rows(3), create({ concurrency: 3 }));

			expect(paynet.state.payLinks.map((link) => link.reference_no).sort()).toEqual(['REF-0', 'REF-1']);
			expect(error.message).toBe(
				'Item 1 (reference REF-1): Paynet: Zaman aşımı (HTTP 200, return code 10 timeout). The PayLink may have been created. ' +
					'The node stopped after 1 PayLink had been created in this run; 2 creates may have made a PayLink (outcome unknown) (listed in the details)',
			);
			expect(error.description).toContain(
				'Outcome unknown, may have been created (2): item 1, reference REF-1: check with PayLink → Get, Look Up By Reference No "REF-1" (Paynet: Zaman aşımı (HTTP 200, return code 10 timeout)); ' +
					'item 2, reference REF-2: check with PayLink → Get, Look Up By Reference No "REF-2" (Paynet: Sunucu hatası (HTTP 400, api_error, return code 8 servererror)).',
			);
			expect(error.description).not.toMatch(/Also failed, nothing created/);

			paynet.rules.length = 0;
			const again = await run(rows(3), create({ concurrency: 1, skipExisting: true }));
			expect(again.error).toBeUndefined();
			expect(again.items.map((item) => [item.json.reference_no, item.json.skipped])).toEqual([
				['REF-0', true],
				['REF-1', true],
				['REF-2', false],
			]);
			expect(paynet.state.payLinks.map((link) => link.reference_no).sort()).toEqual(['REF-0', 'REF-1', 'REF-2']);
		});

		test('a lone code 10 stops the run with the advice to check before running again', async () => {
			paynet.inject(CREATE, timeoutAfterCreating);
			const { error } = await run(rows(1), create());
			expect(error.message).toBe(
				'Item 0 (reference REF-0): Paynet: Zaman aşımı (HTTP 200, return code 10 timeout). The PayLink may have been created',
			);
			expect(error.description).toMatch(/PayLink → Get by reference number "REF-0"/);
		});

		test('a refusal in the table (11 badrequest, 5 duplicatedata) is "nothing created"', async () => {
			const refusal = (code, name) => ({
				status: 200,
				body: JSON.stringify({ code, message: name }),
			});
			paynet.when(CREATE, (body) => body.reference_no === 'REF-0', { delayMs: 300 });
			paynet.when(CREATE, (body) => body.reference_no === 'REF-1', refusal(11, 'Geçersiz istek'));
			paynet.when(CREATE, (body) => body.reference_no === 'REF-2', { delayMs: 100, ...refusal(5, 'Kayıt mevcut') });
			const { error } = await run(rows(3), create({ concurrency: 3 }));
			expect(error.message).toMatch(
				/^Item 1 \(reference REF-1\): Paynet: Geçersiz istek \(HTTP 200, return code 11 badrequest\)\. The node stopped after 1 PayLink/,
			);
			expect(error.description).toContain(
				'Also failed, nothing created (1): item 2, reference REF-2: Paynet: Kayıt mevcut',
			);
			expect(error.description).not.toMatch(/Outcome unknown/);
		});
	});
});
