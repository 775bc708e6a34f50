'use strict';
// v1/transaction/check and v1/transaction/list, and paying a PayLink, which
// posts the confirmation to its confirmation_url as Paynet does.
const { randomUUID } = require('node:crypto');
const { badRequest, noData, success } = require('./core');
const { istanbulDateTime, istanbulDay, page, requireDate } = require('./formats');

const COMMISSION_RATE = 0.0249;
const TAX_RATE = 0.2;

function round2(value) {
	return Math.round(value * 100) / 100;
}

function findPayLink(server, key) {
	return server.state.payLinks.find((link) => link.id === key || (link.reference_no && link.reference_no === key));
}

/**
 * One payment attempt on a PayLink. A successful one marks the link paid and,
 * when the link has a confirmation_url, posts the confirmation there.
 */
async function pay(server, key, options = {}) {
	const payLink = findPayLink(server, key);
	if (!payLink) throw new Error(`No PayLink ${key}`);
	const succeeded = options.succeed ?? true;
	const commission = round2(payLink.amount * COMMISSION_RATE);
	const commissionTax = round2(commission * TAX_RATE);
	const gross = payLink.addcomission_to_amount ? round2(payLink.amount + commission + commissionTax) : payLink.amount;
	const now = options.at ?? new Date(Date.now() + (server.clockOffsetMs ?? 0));
	const transaction = {
		xact_id: `xk_${randomUUID().replace(/-/g, '')}`,
		id: ++server.state.sequence,
		// options.xactDate: the time exactly as Paynet writes it (with or without milliseconds, or unreadable).
		xact_date: options.xactDate ?? istanbulDateTime(now),
		transaction_type: '1',
		pos_type: '5',
		is_tds: true,
		agent_id: payLink.agent_id,
		note: payLink.note,
		ratio: COMMISSION_RATE,
		agent_reference: payLink.reference_no,
		bank_id: options.bankId ?? 'AXSS',
		instalment: options.instalment ?? 0,
		card_type: 'cc',
		card_no: '435508******4358',
		card_holder: options.cardHolder ?? payLink.name_surname,
		amount: gross,
		netAmount: round2(gross - commission - commissionTax),
		comission: commission,
		comission_tax: commissionTax,
		currency: 'TRY',
		authorization_code: succeeded ? String(100000 + (server.state.sequence % 900000)) : '',
		reference_code: `R${server.state.sequence}`,
		order_id: `ORD${server.state.sequence}`,
		is_succeed: succeeded,
		xact_transaction_id: randomUUID(),
		email: payLink.email,
		phone: payLink.phone,
	};
	server.state.transactions.push(transaction);
	if (!succeeded) return { transaction };

	payLink.status = 1;
	payLink.xact_id = transaction.xact_id;
	payLink.bank_id = transaction.bank_id;
	payLink.bank_name = 'Axess';
	payLink.installment = transaction.instalment;
	const confirmation = confirmationFor(transaction, payLink);
	if (!payLink.confirmation_url) return { transaction, confirmation };
	const response = await fetch(payLink.confirmation_url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(confirmation),
	});
	return { transaction, confirmation, status: response.status, responseText: await response.text() };
}

/** The body Paynet posts to confirmation_url (its spellings: referance_no, netAmount, comission). */
function confirmationFor(transaction, payLink) {
	return {
		referance_no: payLink.reference_no,
		xact_date: transaction.xact_date,
		agent_id: transaction.agent_id,
		bank_id: transaction.bank_id,
		instalment: transaction.instalment,
		card_holder: transaction.card_holder,
		card_number: '435508****4358',
		amount: transaction.amount,
		netAmount: transaction.netAmount,
		comission: transaction.comission,
		comission_tax: transaction.comission_tax,
		currency: transaction.currency,
		authorization_code: transaction.authorization_code,
		order_id: transaction.order_id,
		is_succeed: transaction.is_succeed,
	};
}

/**
 * A successful payment as Paynet lists it, paid at `atMs`, straight into the
 * server's list: no PayLink and no confirmation post (volume tests and benches).
 */
function listedPayment(server, atMs) {
	const sequence = ++server.state.sequence;
	const transaction = {
		xact_id: `xk_${randomUUID().replace(/-/g, '')}`,
		xact_date: istanbulDateTime(new Date(atMs)),
		agent_id: '1697',
		agent_reference: `n8n-vol-${sequence}`,
		amount: 100 + (sequence % 50),
		netAmount: 95,
		currency: 'TRY',
		is_succeed: true,
		order_id: `ORD${sequence}`,
	};
	server.state.transactions.push(transaction);
	return transaction;
}

function register(server) {
	server.afterTransactionListPage = [];
	server.route('/v1/transaction/check', (body) => {
		if (!body.xact_id && !body.reference_no) throw badRequest('xact_id or reference_no is required');
		const rows = server.state.transactions.filter((transaction) =>
			body.xact_id ? transaction.xact_id === body.xact_id : transaction.agent_reference === body.reference_no,
		);
		if (rows.length === 0) throw noData('İşlem bulunamadı');
		return success(server, 'transaction_check', { Data: rows });
	});

	server.route('/v1/transaction/list', async (body) => {
		const problem = requireDate(body, 'datab') ?? requireDate(body, 'datbi');
		if (problem) throw badRequest(problem);
		const showUnsucceeded = body.show_unsucceed === true || body.show_unsucceed === 'true';
		const rows = server.state.transactions.filter((transaction) => {
			const day = istanbulDay(transaction.xact_date);
			return (
				day >= body.datab &&
				day <= body.datbi &&
				(showUnsucceeded || transaction.is_succeed) &&
				(!body.agent_id || transaction.agent_id === body.agent_id) &&
				(!body.bank_id || transaction.bank_id === body.bank_id)
			);
		});
		// Paynet does not document the list's order; `transactionsNewestFirst` lists the newest payment first,
		// so one made while a client pages shifts every later row one place on.
		if (server.quirks.transactionsNewestFirst)
			rows.sort((a, b) => (a.xact_date < b.xact_date ? 1 : a.xact_date > b.xact_date ? -1 : 0));
		const result = page(rows, body, server.maxPageSize);
		if (server.quirks.listOmitsHasMore || server.quirks.listOnlyData) delete result.has_more;
		// `listOnlyData`: an envelope with neither has_more nor total, as some proxies in front of Paynet answer.
		if (server.quirks.listOnlyData) delete result.total;
		const answer = success(server, 'transaction_list', result);
		// A test's chance to act between two pages (a payment made while a client pages).
		for (const listener of server.afterTransactionListPage) await listener(body, answer);
		return answer;
	});
}

module.exports = { register, pay, confirmationFor, findPayLink, listedPayment };
