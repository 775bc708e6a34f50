#!/usr/bin/env node
'use strict';
// A local Paynet for trying the nodes without a Paynet account: the test
// server with pages a person can use to "pay" a PayLink, which then posts
// the confirmation to the PayLink's confirmation_url as Paynet does.
//
//   npm run sandbox                         start on http://127.0.0.1:8787
//   npm run sandbox -- --port 9000 --key sck_mine
//   npm run sandbox -- pay <PayLink id or reference_no> [--fail] [--url http://127.0.0.1:8787]
//   npm run sandbox -- repost <PayLink id or reference_no>   post its last confirmation again
// Times are Istanbul's, as Paynet gives them (UTC+3 all year), and are shown so.
const { startPaynetServer } = require('../test/paynet-server');

const DEFAULT_KEY = 'sck_sandbox_n8n_paynet';

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const escapeHtml = (value) =>
	String(value ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

const STATUS = ['awaiting payment', 'paid', 'expired', 'deactivated'];
const ZONE = 'Istanbul time, UTC+3';

/** `2026-12-03T12:26:05.123` (Paynet's zone-less Istanbul time) → `2026-12-03 12:26 (Istanbul time, UTC+3)` */
const withZone = (paynetTime) => `${String(paynetTime).slice(0, 16).replace('T', ' ')} (${ZONE})`;

/**
 * The PayLink a person means by an id or a reference: a reference can have
 * several links (a sheet run twice), and the one to pay is the newest still
 * awaiting payment; else the newest, so a paid link says so.
 */
function pickPayLink(server, key, { awaitingPayment }) {
	const matches = server.state.payLinks.filter(
		(link) => link.id === key || (link.reference_no && link.reference_no === key),
	);
	const newestFirst = [...matches].reverse();
	return (awaitingPayment && newestFirst.find((link) => link.status === 0)) || newestFirst[0];
}

/** What the Paynet Trigger answered, in words: `HTTP 200 accepted`, `HTTP 200 duplicate (Already received)`. */
function describeAnswer(status, text) {
	if (status === undefined || status === null) return 'not sent';
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	const words = body && typeof body === 'object' ? [body.result, body.message && `(${body.message})`] : [text];
	return [`HTTP ${status}`, ...words.filter(Boolean)].join(' ').slice(0, 300);
}

/** The last confirmation posted for each PayLink, so that it can be posted again as Paynet's retries do. */
const lastConfirmation = new Map();

function page(res, status, title, body) {
	res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
	res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1d2733}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde3ea;padding:.4rem;text-align:left}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;border:0;background:#0a4da2;color:#fff;cursor:pointer}
button.fail{background:#b3261e}.muted{color:#6b7785}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function payLinkByUrlId(server, urlId) {
	return server.state.payLinks.find((link) => link.url.endsWith(`id=${urlId}`));
}

function registerPages(server) {
	server.publicRoute('GET', '', ({ res }) => {
		const rows = server.state.payLinks
			.map(
				(link) => `<tr><td>${escapeHtml(withZone(link.create_date))}</td><td>${escapeHtml(link.name_surname)}</td>
<td>${link.amount}</td><td>${escapeHtml(link.reference_no)}</td><td>${STATUS[link.status]}</td>
<td><a href="${escapeHtml(link.url)}">payment page</a></td></tr>`,
			)
			.join('');
		page(
			res,
			200,
			'Paynet sandbox',
			`<p>Credential: environment <b>Custom</b>, base URL <code>${server.url}</code>, secret key <code>${escapeHtml(server.secretKey)}</code>.</p>
<table><tr><th>Created (${ZONE})</th><th>Name</th><th>Amount</th><th>Reference</th><th>Status</th><th></th></tr>${rows || '<tr><td colspan="6" class="muted">No PayLinks yet: create one with the Paynet node.</td></tr>'}</table>`,
		);
	});

	server.publicRoute('GET', '/S/M', ({ res, query }) => {
		const link = payLinkByUrlId(server, query.get('id'));
		if (!link) return page(res, 404, 'Unknown payment link', '<p>No such PayLink in this sandbox.</p>');
		const payable = link.status === 0;
		page(
			res,
			200,
			`Pay ${link.amount} TL`,
			`<p>${escapeHtml(link.name_surname)}${link.note ? ` — ${escapeHtml(link.note)}` : ''}</p>
<p class="muted">Reference ${escapeHtml(link.reference_no) || '(none)'} · status ${STATUS[link.status]}
${link.confirmation_url ? `· confirmation goes to ${escapeHtml(link.confirmation_url)}` : '· no confirmation URL'}</p>
${
	payable
		? `<form method="post" action="/sandbox/pay"><input type="hidden" name="id" value="${escapeHtml(link.id)}">
<button name="succeed" value="true">Pay with a test card</button><button class="fail" name="succeed" value="false">Decline</button></form>`
		: ''
}`,
		);
	});

	server.publicRoute('POST', '/sandbox/pay', async ({ req, res, raw }) => {
		const form = /json/.test(req.headers['content-type'] ?? '')
			? JSON.parse(raw || '{}')
			: Object.fromEntries(new URLSearchParams(raw));
		const key = form.id ?? form.reference_no;
		const link = key && pickPayLink(server, key, { awaitingPayment: true });
		const wantsJson = /json/.test(req.headers.accept ?? '') || /json/.test(req.headers['content-type'] ?? '');
		if (!link || link.status !== 0) {
			res.writeHead(404, { 'Content-Type': 'application/json' });
			return res.end(JSON.stringify({ error: link ? 'PayLink is not awaiting payment' : 'No such PayLink' }));
		}
		let result;
		try {
			result = await server.pay(link.id, { succeed: String(form.succeed ?? 'true') !== 'false' });
		} catch (error) {
			result = { error: `Posting the confirmation failed: ${error.message}` };
		}
		if (result.confirmation && link.confirmation_url) lastConfirmation.set(link.id, result.confirmation);
		const summary = {
			id: link.id,
			reference_no: link.reference_no,
			paid: link.status === 1,
			paid_at: result.transaction && link.status === 1 ? withZone(result.transaction.xact_date) : null,
			confirmation_url: link.confirmation_url || null,
			confirmation_status: result.status ?? null,
			confirmation_response: result.responseText ?? null,
			trigger_answer: link.confirmation_url ? describeAnswer(result.status, result.responseText) : null,
			error: result.error,
		};
		console.log(
			`[sandbox] paid ${link.reference_no || link.id}: the trigger answered ${summary.trigger_answer ?? 'nothing (no confirmation URL)'}`,
		);
		if (wantsJson) {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			return res.end(JSON.stringify(summary));
		}
		page(
			res,
			200,
			summary.paid ? 'Payment received' : 'Payment declined',
			`${summary.paid_at ? `<p>Paid at ${escapeHtml(summary.paid_at)}.</p>` : ''}<p>${
				summary.confirmation_url
					? `Confirmation posted to ${escapeHtml(summary.confirmation_url)}.<br>The trigger answered: <b>${escapeHtml(summary.error ?? summary.trigger_answer)}</b>`
					: 'No confirmation URL on this PayLink: nothing was posted.'
			}</p><p><a href="/">All PayLinks</a></p>`,
		);
	});

	// Paynet may post a confirmation more than once; the trigger must answer `duplicate` and start nothing.
	server.publicRoute('POST', '/sandbox/repost', async ({ res, raw }) => {
		const { id: key } = JSON.parse(raw || '{}');
		const link = key && pickPayLink(server, key, { awaitingPayment: false });
		const confirmation = link && lastConfirmation.get(link.id);
		res.setHeader('Content-Type', 'application/json');
		if (!confirmation) {
			res.writeHead(404);
			return res.end(
				JSON.stringify({
					error: link ? 'This PayLink has no confirmation to post again: pay it first' : 'No such PayLink',
				}),
			);
		}
		let summary;
		try {
			const response = await fetch(link.confirmation_url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(confirmation),
			});
			const text = await response.text();
			summary = { status: response.status, text };
		} catch (error) {
			summary = { error: `Posting the confirmation failed: ${error.message}` };
		}
		const answer = {
			id: link.id,
			reference_no: link.reference_no,
			confirmation_url: link.confirmation_url,
			confirmation_status: summary.status ?? null,
			confirmation_response: summary.text ?? null,
			trigger_answer: summary.error ?? describeAnswer(summary.status, summary.text),
		};
		console.log(
			`[sandbox] posted ${link.reference_no || link.id}'s confirmation again: the trigger answered ${answer.trigger_answer}`,
		);
		res.writeHead(200);
		res.end(JSON.stringify(answer));
	});

	server.publicRoute('GET', '/sandbox/paylinks', ({ res }) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(server.state.payLinks, null, 2));
	});
}

async function commandLine(command) {
	const key = process.argv[3];
	if (!key)
		throw new Error(
			`usage: npm run sandbox -- ${command} <PayLink id or reference_no>${command === 'pay' ? ' [--fail]' : ''}`,
		);
	const url = option('url', `http://127.0.0.1:${option('port', '8787')}`);
	const response = await fetch(`${url}/sandbox/${command}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ id: key, succeed: !process.argv.includes('--fail') }),
	});
	console.log(JSON.stringify(await response.json(), null, 2));
	if (!response.ok) process.exitCode = 1;
}

async function main() {
	if (process.argv[2] === 'pay' || process.argv[2] === 'repost') return await commandLine(process.argv[2]);
	const server = await startPaynetServer({
		port: Number(option('port', process.env.PAYNET_SANDBOX_PORT ?? 8787)),
		secretKey: option('key', process.env.PAYNET_SANDBOX_KEY ?? DEFAULT_KEY),
		recordRequests: false,
	});
	registerPages(server);
	console.log(`Paynet sandbox on ${server.url}
  In n8n, create a "Paynet API" credential: Environment = Custom, Base URL = ${server.url}, Secret Key = ${server.secretKey}
  PayLinks and payment pages: ${server.url}/`);
	const stop = () => server.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}

module.exports = { registerPages };
