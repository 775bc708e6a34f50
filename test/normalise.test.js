'use strict';
const {
	normalisePayLink,
	normalisePayLinkDetail,
	normaliseTransaction,
	readListPage,
} = require('../dist/nodes/Paynet/helpers/normalise');

// The row of Paynet's list page sample, with the spec's other quirks added.
const listSampleRow = {
	company_code: '10031',
	agent_id: '',
	expire_date: '2015-06-17T01:52:00',
	xact_id: null,
	referenceNo: 'INV-1',
	installment: '0',
	amount: '2.441,00',
	currency: 'TL',
	create_date: '2015-06-16T13:53:18.933',
	note: null,
	error_url: null,
	status: 2,
	sendConfirmation_mail: 'true',
	send_mail: false,
	send_sms: 'False',
	multi_payment: 0,
};

describe('a PayLink row as users see it', () => {
	test("Paynet's list quirks become the documented snake_case shape", () => {
		expect(normalisePayLink(listSampleRow)).toEqual({
			company_code: '10031',
			agent_id: '',
			expire_date: '2015-06-17T01:52:00',
			xact_id: null,
			reference_no: 'INV-1',
			installment: 0,
			amount: 2441,
			currency: 'TRY',
			create_date: '2015-06-16T13:53:18.933',
			note: null,
			error_url: null,
			status: 2,
			status_text: 'expired',
			send_confirmation_mail: true,
			send_mail: false,
			send_sms: false,
			multi_payment: false,
		});
	});

	test.each([
		[200, 200],
		['200.0000', 200],
		['1234,50', 1234.5],
		['1,234.50', 1234.5],
	])('amount %p reads as %p', (amount, number) => {
		expect(normalisePayLink({ amount }).amount).toBe(number);
	});

	test('a status sent as text still gains status_text', () => {
		expect(normalisePayLink({ status: '3' })).toEqual({ status: 3, status_text: 'deactivated' });
	});

	test('the documented key wins over the camelCase one when both arrive', () => {
		expect(normalisePayLink({ reference_no: 'A', referenceNo: 'B' }).reference_no).toBe('A');
		expect(normalisePayLink({ reference_no: null, referenceNo: 'B' }).reference_no).toBe('B');
	});
});

describe('a mailorder/detail answer becomes the PayLink', () => {
	const envelope = { object_name: 'mailorder_detail', code: 0, message: 'Başarılı İşlem' };
	const payLink = { id: 'abc', referenceNo: 'R1', amount: '10,00', status: 0, currency: 'TL' };
	const expected = {
		id: 'abc',
		reference_no: 'R1',
		amount: 10,
		status: 0,
		status_text: 'awaiting_payment',
		currency: 'TRY',
	};

	test('at the top level, without the envelope fields', () => {
		expect(normalisePayLinkDetail({ ...envelope, ...payLink })).toEqual([expected]);
	});

	test('inside a Data array or a Data object', () => {
		expect(normalisePayLinkDetail({ ...envelope, Data: [payLink] })).toEqual([expected]);
		expect(normalisePayLinkDetail({ ...envelope, Data: payLink })).toEqual([expected]);
	});

	test('an envelope with nothing in it is no PayLink', () => {
		expect(normalisePayLinkDetail({ ...envelope, Data: null })).toEqual([]);
	});
});

describe('a transaction/check row as users see it', () => {
	test('agent_reference, netAmount and is_succeed are normalised', () => {
		expect(
			normaliseTransaction({
				xact_id: 'xk_1',
				id: 2527054,
				agent_reference: 'INV-1',
				amount: '120,50',
				netAmount: '117.00',
				comission: '3,50',
				is_succeed: 'true',
				is_tds: 1,
				currency: 'TL',
			}),
		).toEqual({
			xact_id: 'xk_1',
			id: 2527054,
			reference_no: 'INV-1',
			amount: 120.5,
			net_amount: 117,
			comission: 3.5,
			is_succeed: true,
			is_tds: true,
			currency: 'TRY',
		});
	});
});

describe('a list envelope', () => {
	test('reads rows, has_more and total, whatever their notation', () => {
		expect(readListPage({ total: '306', has_more: 'true', total_amount: '2.441,00', Data: [{ a: 1 }] })).toEqual({
			rows: [{ a: 1 }],
			hasMore: true,
			total: 306,
		});
	});

	test('a body whose Data is not a list is not an envelope', () => {
		expect(readListPage('not json{')).toBeUndefined();
		expect(readListPage({ Data: 'nope' })).toBeUndefined();
	});
});
