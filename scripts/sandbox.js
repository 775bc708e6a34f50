#!/usr/bin/env node
'use strict';
// A local Paynet for trying the nodes without a Paynet account: the test
// server with pages a person can use to "pay" a PayLink, which then posts
// the confirmation to the PayLink's confirmation_url as Paynet does.
//
//   npm run sandbox                         start on http://127.0.0.1:8787
//   npm run sandbox -- --port 9000 --key sck_mine
//   npm run sandbox -- pay <PayLink id or reference_no> [--fail] [--url http://127.0.0.1:8787]
const { startPaynetServer } = require('../test/paynet-server');
const { findPayLink } = require('../test/paynet-server/transaction');

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
				(link) => `<tr><td>${escapeHtml(link.create_date.slice(0, 16))}</td><td>${escapeHtml(link.name_surname)}</td>
<td>${link.amount}</td><td>${escapeHtml(link.reference_no)}</td><td>${STATUS[link.status]}</td>
<td><a href="${escapeHtml(link.url)}">payment page</a></td></tr>`,
			)
			.join('');
		page(
			res,
			200,
			'Paynet sandbox',
			`<p>Credential: environment <b>Custom</b>, base URL <code>${server.url}</code>, secret key <code>${escapeHtml(server.secretKey)}</code>.</p>
<table><tr><th>Created</th><th>Name</th><th>Amount</th><th>Reference</th><th>Status</th><th></th></tr>${rows || '<tr><td colspan="6" class="muted">No PayLinks yet: create one with the Paynet node.</td></tr>'}</table>`,
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
		const link = key && findPayLink(server, key);
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
		const summary = {
			id: link.id,
			reference_no: link.reference_no,
			paid: link.status === 1,
			confirmation_url: link.confirmation_url || null,
			confirmation_status: result.status ?? null,
			confirmation_response: result.responseText ?? null,
			error: result.error,
		};
		console.log(
			`[sandbox] paid ${link.reference_no || link.id}: confirmation → ${summary.confirmation_status ?? 'not sent'}`,
		);
		if (wantsJson) {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			return res.end(JSON.stringify(summary));
		}
		page(
			res,
			200,
			summary.paid ? 'Payment received' : 'Payment declined',
			`<p>${summary.confirmation_url ? `Confirmation posted to ${escapeHtml(summary.confirmation_url)}: HTTP ${escapeHtml(summary.confirmation_status ?? summary.error)}` : 'No confirmation URL on this PayLink: nothing was posted.'}</p><p><a href="/">All PayLinks</a></p>`,
		);
	});

	server.publicRoute('GET', '/sandbox/paylinks', ({ res }) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(server.state.payLinks, null, 2));
	});
}

async function payFromCommandLine() {
	const key = process.argv[3];
	if (!key) throw new Error('usage: npm run sandbox -- pay <PayLink id or reference_no> [--fail]');
	const url = option('url', `http://127.0.0.1:${option('port', '8787')}`);
	const response = await fetch(`${url}/sandbox/pay`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ id: key, succeed: !process.argv.includes('--fail') }),
	});
	console.log(JSON.stringify(await response.json(), null, 2));
	if (!response.ok) process.exitCode = 1;
}

async function main() {
	if (process.argv[2] === 'pay') return await payFromCommandLine();
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

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});

module.exports = { registerPages };
