'use strict';
// v1/mailorder/*: PayLinks, as the create and list pages document them.
const { randomUUID } = require('node:crypto');
const { badRequest, noData, success } = require('./core');
const { ISTANBUL_OFFSET_MS, istanbulDateTime, istanbulDay, page, requireDate } = require('./formats');

const DAY_MS = 24 * 60 * 60 * 1000;

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
	hours: (value) =>
		(typeof value === 'number' || typeof value === 'string') && Number.isInteger(Number(value)) && Number(value) > 0,
};

function validateCreate(body) {
	for (const [field, value] of Object.entries(body)) {
		const kind = CREATE_FIELDS[field];
		// Stricter than Paynet is documented to be: an unknown field is a typo
		// on our side (send_email instead of send_mail), never silently ignored.
		if (!kind) throw badRequest(`Unknown field ${field}`);
		if (value !== null && !CHECKS[kind](value)) throw badRequest(`${field} is not a valid ${kind}`);
	}
	if (typeof body.name_surname !== 'string' || body.name_surname.trim() === '')
		throw badRequest('name_surname is required');
	if (body.amount === undefined) throw badRequest('amount is required');
	if (body.send_mail === true && !body.email) throw badRequest('email is required when send_mail is true');
	if (body.send_sms === true && !body.phone) throw badRequest('phone is required when send_sms is true');
	if (body.reference_no !== undefined && body.reference_no.length > 50)
		throw badRequest('reference_no is longer than 50');
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

const emptyToNull = (value) => (value === '' || value === undefined ? null : value);

/**
 * A list row the way Paynet's sample prints one: no `id`, no `name_surname`,
 * `referenceNo` and `sendConfirmation_mail` in camelCase, `currency: "TL"`,
 * `status` a number, `null` for empties, and `amount` now a number, now a
 * dot string, now a Turkish string, as the spec says Paynet's decimals vary.
 */
function listRow(payLink, index) {
	const amountFormats = [
		(amount) => amount,
		(amount) => Number(amount).toFixed(4),
		(amount) => Number(amount).toFixed(2).replace('.', ','),
	];
	return {
		company_code: payLink.company_code,
		agent_id: emptyToNull(payLink.agent_id),
		expire_date: payLink.expire_date,
		xact_id: payLink.xact_id,
		bank_id: payLink.bank_id,
		bank_name: payLink.bank_name,
		referenceNo: payLink.reference_no,
		installment: payLink.installment,
		amount: amountFormats[index % amountFormats.length](payLink.amount),
		currency: 'TL',
		email: emptyToNull(payLink.email),
		user_name: emptyToNull(payLink.user_name),
		create_date: payLink.create_date,
		phone: emptyToNull(payLink.phone),
		send_sms: payLink.send_sms,
		note: emptyToNull(payLink.note),
		agent_note: emptyToNull(payLink.agent_note),
		succeed_url: emptyToNull(payLink.succeed_url),
		error_url: emptyToNull(payLink.error_url),
		confirmation_url: emptyToNull(payLink.confirmation_url),
		status: payLink.status,
		sendConfirmation_mail: payLink.send_confirmation_mail,
		send_mail: payLink.send_mail,
		multi_payment: payLink.multi_payment,
	};
}

/** What v1/mailorder/detail returns for one PayLink: the stored fields, `currency: "TL"`, `status` a number. */
function detailRow(payLink) {
	const { url: _url, addcomission_to_amount: _commission, ...row } = payLink;
	return row;
}

function findByKey(server, body) {
	const hasId = typeof body.id === 'string' && body.id !== '';
	const hasReference = typeof body.reference_no === 'string' && body.reference_no !== '';
	if (!hasId && !hasReference) throw badRequest('id or reference_no is required');
	const payLink = server.state.payLinks.find((link) =>
		hasId ? link.id === body.id : link.reference_no === body.reference_no,
	);
	if (!payLink) throw noData('Kayıt bulunamadı');
	return payLink;
}

/**
 * Seeds `count` PayLinks created evenly over the Istanbul days `from`..`to`
 * (inclusive), with statuses taken in turn from `statuses`. Returns them.
 */
function seedPayLinks(server, count, options = {}) {
	const from = options.from ?? istanbulDay(new Date());
	const to = options.to ?? from;
	const start = Date.parse(`${from}T00:00:00Z`) - ISTANBUL_OFFSET_MS;
	const span = Date.parse(`${to}T00:00:00Z`) - ISTANBUL_OFFSET_MS + DAY_MS - start;
	const statuses = options.statuses ?? [0];
	const prefix = options.referencePrefix ?? 'SEED';
	const seeded = [];
	for (let index = 0; index < count; index++) {
		const body = {
			name_surname: `Payer ${index}`,
			amount: options.amount ?? 100 + (index % 50) + 0.5,
			reference_no: `${prefix}-${server.state.sequence++}`,
		};
		if (options.agentId) body.agent_id = options.agentId;
		const payLink = createPayLink(server, body, new Date(start + Math.floor((index * span) / count)));
		payLink.status = statuses[index % statuses.length];
		seeded.push(payLink);
	}
	return seeded;
}

function register(server) {
	Object.assign(server.quirks, {
		// has_more true on every page, even the last (and past it)
		listHasMoreAlwaysTrue: false,
		// starting_after ignored: every call returns the first page, without total
		// ('keepTotal': with the real total, so total and the rows disagree)
		listIgnoresStartingAfter: false,
		// detail wraps the PayLink in Data: [ … ] instead of the top level
		detailInData: false,
		// lists (PayLinks and transactions) send total but no has_more, as a terse server may
		listOmitsHasMore: false,
		// detail of a reference it does not have: 200 {code: 0, Data: null, total: 0}, not 404 no_data_error
		detailNoDataAs200: false,
		...server.quirks,
	});
	server.seedPayLinks = (count, options) => seedPayLinks(server, count, options);

	server.route('/v1/mailorder/create', (body) => {
		validateCreate(body);
		const payLink = createPayLink(server, body);
		return success(server, 'mailorder', { url: payLink.url, id: payLink.id });
	});

	server.route('/v1/mailorder/list', (body) => {
		const problem = requireDate(body, 'datab') ?? requireDate(body, 'datbi');
		if (problem) throw badRequest(problem);
		const matching = server.state.payLinks.filter((payLink) => {
			const day = istanbulDay(payLink.create_date);
			return day >= body.datab && day <= body.datbi && (!body.agent_id || payLink.agent_id === body.agent_id);
		});
		const request = server.quirks.listIgnoresStartingAfter ? { ...body, starting_after: 0, ending_before: 0 } : body;
		const result = page(matching, request, server.maxPageSize);
		const offset = result.ending_before > 0 ? result.ending_before - result.Data.length : result.starting_after;
		result.Data = result.Data.map((payLink, index) => listRow(payLink, offset + index));
		if (server.quirks.listHasMoreAlwaysTrue) result.has_more = true;
		if (server.quirks.listOmitsHasMore) delete result.has_more;
		if (server.quirks.listIgnoresStartingAfter && server.quirks.listIgnoresStartingAfter !== 'keepTotal')
			delete result.total;
		return success(server, 'mailorderlist', result);
	});

	server.route('/v1/mailorder/detail', (body) => {
		let payLink;
		try {
			payLink = findByKey(server, body);
		} catch (error) {
			if (error.type !== 'no_data_error' || !server.quirks.detailNoDataAs200) throw error;
			return success(server, 'mailorder_detail', { Data: null, total: 0 });
		}
		const row = detailRow(payLink);
		return success(server, 'mailorder_detail', server.quirks.detailInData ? { Data: [row] } : row);
	});

	server.route('/v1/mailorder/status_update', (body) => {
		const status = body.status;
		if (status !== 0 && status !== 3 && status !== '0' && status !== '3') {
			throw badRequest('status must be 0 (awaiting payment) or 3 (passive)');
		}
		const payLink = findByKey(server, body);
		payLink.status = Number(status);
		return success(server, 'mailorder_update_status', {});
	});
}

module.exports = { register, createPayLink, seedPayLinks, listRow, CREATE_FIELDS };
