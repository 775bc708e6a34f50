'use strict';
// v1/mailorder/*: PayLinks, as the create and list pages document them.
const { randomUUID } = require('node:crypto');
const { badRequest, success } = require('./core');
const { istanbulDateTime } = require('./formats');

const CREATE_FIELDS = {
	pos_type: 'integer',
	addcomission_to_amount: 'boolean',
	agent_id: 'string',
	name_surname: 'string',
	user_name: 'string',
	amount: 'amount',
	email: 'string',
	send_mail: 'boolean',
	phone: 'string',
	send_sms: 'boolean',
	expire_date: 'hours',
	note: 'string',
	agent_note: 'string',
	reference_no: 'string',
	instalment_key: 'string',
	succeed_url: 'string',
	error_url: 'string',
	confirmation_url: 'string',
	send_confirmation_mail: 'boolean',
	multi_payment: 'boolean',
};

const CHECKS = {
	integer: (value) => Number.isInteger(value),
	boolean: (value) => typeof value === 'boolean',
	string: (value) => typeof value === 'string',
	amount: (value) => typeof value === 'number' && value > 0 && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
	// The page types it string but means hours; the sample sends a number.
	hours: (value) => (typeof value === 'number' || typeof value === 'string') && Number.isInteger(Number(value)) && Number(value) > 0,
};

function validateCreate(body) {
	for (const [field, value] of Object.entries(body)) {
		const kind = CREATE_FIELDS[field];
		// Stricter than Paynet is documented to be: an unknown field is a typo
		// on our side (send_email instead of send_mail), never silently ignored.
		if (!kind) throw badRequest(`Unknown field ${field}`);
		if (value !== null && !CHECKS[kind](value)) throw badRequest(`${field} is not a valid ${kind}`);
	}
	if (typeof body.name_surname !== 'string' || body.name_surname.trim() === '') throw badRequest('name_surname is required');
	if (body.amount === undefined) throw badRequest('amount is required');
	if (body.send_mail === true && !body.email) throw badRequest('email is required when send_mail is true');
	if (body.send_sms === true && !body.phone) throw badRequest('phone is required when send_sms is true');
	if (body.reference_no !== undefined && body.reference_no.length > 50) throw badRequest('reference_no is longer than 50');
}

function createPayLink(server, body, now = new Date()) {
	const id = randomUUID();
	const hours = body.expire_date === undefined ? 72 : Number(body.expire_date);
	const payLink = {
		id,
		url: `${server.url}/S/M?id=${randomUUID()}`,
		company_code: '10031',
		agent_id: body.agent_id ?? '',
		xact_id: null,
		reference_no: body.reference_no ?? '',
		name_surname: body.name_surname,
		email: body.email ?? '',
		user_name: body.user_name ?? '',
		amount: body.amount,
		currency: 'TL',
		installment: 0,
		phone: body.phone ?? '',
		bank_id: null,
		bank_name: null,
		expire_date: istanbulDateTime(new Date(now.getTime() + hours * 3600_000)),
		create_date: istanbulDateTime(now),
		note: body.note ?? null,
		agent_note: body.agent_note ?? '',
		succeed_url: body.succeed_url ?? '',
		error_url: body.error_url ?? null,
		confirmation_url: body.confirmation_url ?? '',
		status: 0,
		send_confirmation_mail: body.send_confirmation_mail ?? true,
		send_sms: body.send_sms ?? false,
		send_mail: body.send_mail ?? false,
		multi_payment: body.multi_payment ?? false,
		addcomission_to_amount: body.addcomission_to_amount ?? false,
	};
	server.state.payLinks.push(payLink);
	return payLink;
}

function register(server) {
	server.route('/v1/mailorder/create', (body) => {
		validateCreate(body);
		const payLink = createPayLink(server, body);
		return success(server, 'mailorder', { url: payLink.url, id: payLink.id });
	});
}

module.exports = { register, createPayLink, CREATE_FIELDS };
