'use strict';
const { buildCreateBody } = require('../dist/nodes/Paynet/actions/payLink/create');

const fixedReference = () => 'REF-FIXED';

describe('the body Paynet receives for one PayLink', () => {
	test('every additional field goes under its Paynet name, in its documented type', () => {
		const body = buildCreateBody(
			{
				nameSurname: 'Ayşe Yılmaz',
				amount: '1.234,56',
				additionalFields: {
					email: 'ayse@example.com',
					sendMail: true,
					phone: '532 123 45 67',
					sendSms: true,
					expireHours: 48,
					note: 'Sipariş 118',
					agentNote: 'rapor notu',
					referenceNo: 'INV-2024-118',
					agentId: '20008',
					userName: 'n8n',
					posType: 5,
					addCommissionToAmount: true,
					instalmentKey: 'ji_EAAAA',
					succeedUrl: 'https://shop.example.com/ok',
					errorUrl: 'https://shop.example.com/fail',
					confirmationUrl: 'https://n8n.example.com/webhook/abc/paynet',
					sendConfirmationMail: false,
				},
			},
			fixedReference,
		);
		expect(body).toEqual({
			name_surname: 'Ayşe Yılmaz',
			amount: 1234.56,
			email: 'ayse@example.com',
			send_mail: true,
			phone: '5321234567',
			send_sms: true,
			expire_date: 48,
			note: 'Sipariş 118',
			agent_note: 'rapor notu',
			reference_no: 'INV-2024-118',
			agent_id: '20008',
			user_name: 'n8n',
			pos_type: 5,
			addcomission_to_amount: true,
			instalment_key: 'ji_EAAAA',
			succeed_url: 'https://shop.example.com/ok',
			error_url: 'https://shop.example.com/fail',
			confirmation_url: 'https://n8n.example.com/webhook/abc/paynet',
			send_confirmation_mail: false,
		});
	});

	test("Paynet's own spellings go on the wire: send_mail (not send_email), addcomission_to_amount, hours as expire_date", () => {
		const body = buildCreateBody({
			nameSurname: 'Ali',
			amount: 10,
			additionalFields: { email: 'ali@example.com', sendMail: true, addCommissionToAmount: true, expireHours: 24 },
		});
		expect(Object.keys(body).sort()).toEqual([
			'addcomission_to_amount',
			'amount',
			'email',
			'expire_date',
			'name_surname',
			'send_mail',
		]);
		expect(body.expire_date).toBe(24);
	});

	test('fields left empty are not sent at all', () => {
		const body = buildCreateBody({
			nameSurname: 'Ali',
			amount: 10,
			additionalFields: { email: '', note: '   ', referenceNo: undefined },
		});
		expect(body).toEqual({ name_surname: 'Ali', amount: 10 });
	});

	test('false booleans are sent, because the user chose them', () => {
		const body = buildCreateBody({ nameSurname: 'Ali', amount: 10, additionalFields: { sendConfirmationMail: false } });
		expect(body.send_confirmation_mail).toBe(false);
	});

	test.each([
		[{ sendMail: true }, /^email is required when Send Mail is on/],
		[{ sendSms: true }, /^phone is required when Send SMS is on/],
		[{ email: 'not-an-email' }, /^email is not an email address/],
		[{ succeedUrl: 'ftp://x.example.com' }, /^succeedUrl must be an http\(s\) URL/],
		[{ confirmationUrl: 'n8n.example.com/webhook' }, /^confirmationUrl must be an http\(s\) URL/],
		[{ expireHours: 1.5 }, /^expireHours must be a positive whole number/],
		[{ expireHours: 0 }, /^expireHours must be a positive whole number/],
		[{ phone: 'call me' }, /^phone is not a phone number/],
	])('%p is refused: %p', (additionalFields, message) => {
		expect(() => buildCreateBody({ nameSurname: 'Ali', amount: 10, additionalFields })).toThrow(message);
	});

	test('a name that is only spaces is refused', () => {
		expect(() => buildCreateBody({ nameSurname: '  ', amount: 10, additionalFields: {} })).toThrow(
			/^nameSurname is required/,
		);
	});

	test('a confirmation URL without a reference gets a generated, unique reference of at most 50 characters', () => {
		const make = () =>
			buildCreateBody({
				nameSurname: 'Ali',
				amount: 10,
				additionalFields: { confirmationUrl: 'https://n8n.example.com/webhook/x/paynet' },
			}).reference_no;
		const first = make();
		const second = make();
		expect(first).toMatch(/^n8n-[0-9a-f-]{36}$/);
		expect(first.length).toBeLessThanOrEqual(50);
		expect(second).not.toBe(first);
	});

	test("the user's own reference is kept when a confirmation URL is set", () => {
		const body = buildCreateBody({
			nameSurname: 'Ali',
			amount: 10,
			additionalFields: { confirmationUrl: 'https://n8n.example.com/x', referenceNo: 'ORD-7' },
		});
		expect(body.reference_no).toBe('ORD-7');
	});

	test('without a confirmation URL no reference is invented', () => {
		const body = buildCreateBody({ nameSurname: 'Ali', amount: 10, additionalFields: {} });
		expect(body).not.toHaveProperty('reference_no');
	});
});
