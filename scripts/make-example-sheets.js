#!/usr/bin/env node
'use strict';
// Writes examples/files/payment-requests.xlsx and payment-requests.csv: the
// rows a Turkish finance team sends to the example workflow
// examples/workflows/sheet-files-to-paylinks.json, the way Excel in Turkish
// locale saves them. The e2e suite (test/e2e/spreadsheet.e2e.js) asserts
// what Paynet receives for each of these rows, so change both together.
//
//   node scripts/make-example-sheets.js
//
// The xlsx is written with the SheetJS build n8n itself reads spreadsheets
// with (@e965/xlsx), taken from an n8n that scripts/n8n-install.sh put in
// the cache: the package gains no dependency.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function loadSheetJs() {
	try {
		return require('xlsx');
	} catch {
		// not in our node_modules: use n8n's
	}
	const cache = process.env.PAYNET_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-paynet');
	const installs = fs.existsSync(cache)
		? fs
				.readdirSync(cache)
				.filter((name) => name.startsWith('n8n-'))
				.map((name) => path.join(cache, name))
		: [];
	// The e2e suite's own n8n first (scripts/n8n-start.sh exports it).
	if (process.env.PAYNET_N8N_DIR) installs.unshift(process.env.PAYNET_N8N_DIR);
	// n8n 1.x installs it under the name it depends on (xlsx), 2.x as @e965/xlsx.
	for (const install of installs) {
		for (const name of ['xlsx', '@e965/xlsx']) {
			const candidate = path.join(install, 'node_modules', name);
			if (fs.existsSync(path.join(candidate, 'package.json'))) return require(candidate);
		}
	}
	throw new Error(`No SheetJS (xlsx) found: run scripts/n8n-install.sh 1 (or 2) first (looked in ${cache})`);
}

const HEADER = ['Sipariş No', 'Ad Soyad', 'E-posta', 'Tutar', 'Mail Gönder'];

// The sales team's workbook: amounts typed as numbers (shown as 1.234,56 in
// Turkish Excel) or pasted as text with the currency, Send Mail as real
// TRUE/FALSE cells, a blank row between two blocks, and two rows Paynet
// must not get: one without a name, one in dollars.
const XLSX_ROWS = [
	['SIP-2001', 'Ayşe Yılmaz', 'ayse@example.com', { t: 'n', v: 1234.56, z: '#,##0.00' }, { t: 'b', v: true }],
	['SIP-2002', 'Mehmet Öztürk', 'mehmet@example.com', { t: 's', v: '1.234,56 TL' }, { t: 'b', v: false }],
	null,
	['SIP-2003', '', 'isimsiz@example.com', { t: 'n', v: 99.9, z: '#,##0.00' }, { t: 'b', v: false }],
	['SIP-2004', 'İpek Güneş', 'ipek@example.com', { t: 's', v: 'USD 120' }, { t: 'b', v: true }],
	['SIP-2005', 'Çağrı Şahin', 'cagri@example.com', { t: 'n', v: 250, z: '#,##0.00' }, { t: 'b', v: true }],
];

// The accounting export: everything is text, with the lira written every
// way it is (₺ before, TRY before, TL after, a no-break space as the
// thousands separator), TRUE/FALSE as words, an empty line as Excel writes
// it (only separators), and a row asking for a mail with no address.
const NBSP = '\u00a0';
const CSV_ROWS = [
	['SIP-3001', 'Gülşen Ünal', 'gulsen@example.com', '₺1.234,56', 'TRUE'],
	['SIP-3002', 'Oğuz Çelik', 'oguz@example.com', 'TRY 250', 'FALSE'],
	['', '', '', '', ''],
	['SIP-3003', 'Şule Işık', 'sule@example.com', `1${NBSP}234,56`, 'TRUE'],
	['SIP-3004', 'Hakan Ersoy', '', '75,00 TL', 'TRUE'],
	['SIP-3005', 'Deniz Ağaoğlu', 'deniz@example.com', '12,50', 'FALSE'],
];

function writeXlsx(XLSX, file, dataRows) {
	const sheet = {};
	const rows = [HEADER, ...dataRows];
	rows.forEach((row, r) => {
		(row ?? []).forEach((value, c) => {
			if (value === '') return; // an empty cell is absent, as Excel saves it
			sheet[XLSX.utils.encode_cell({ r, c })] = typeof value === 'object' ? value : { t: 's', v: value };
		});
	});
	sheet['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length - 1, c: HEADER.length - 1 } });
	sheet['!cols'] = [{ wch: 12 }, { wch: 18 }, { wch: 22 }, { wch: 14 }, { wch: 12 }];
	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(book, sheet, 'Ödeme Talepleri');
	// A fixed date keeps the file byte-identical from one run to the next.
	book.Props = { Title: 'Ödeme talepleri', CreatedDate: new Date('2026-01-05T09:00:00Z') };
	XLSX.writeFile(book, file, { bookType: 'xlsx', compression: true });
}

function writeCsv(file, dataRows) {
	// Excel's "CSV UTF-8": a byte order mark, ";" in Turkish locale, CRLF.
	const lines = [HEADER, ...dataRows].map((row) => row.join(';'));
	fs.writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * Writes payment-requests.xlsx and .csv into `dir`; `edit(reference, row)`
 * may return a changed row (the e2e suite fixes the bad rows this way).
 */
function writeExampleSheets(dir, edit = (_reference, row) => row) {
	const apply = (rows) => rows.map((row) => (row && row[0] ? edit(row[0], [...row]) : row));
	fs.mkdirSync(dir, { recursive: true });
	writeXlsx(loadSheetJs(), path.join(dir, 'payment-requests.xlsx'), apply(XLSX_ROWS));
	writeCsv(path.join(dir, 'payment-requests.csv'), apply(CSV_ROWS));
}

module.exports = { HEADER, XLSX_ROWS, CSV_ROWS, writeExampleSheets };

if (require.main === module) {
	const outDir = path.join(__dirname, '..', 'examples', 'files');
	writeExampleSheets(outDir);
	console.log(`wrote ${path.relative(process.cwd(), outDir)}/payment-requests.{xlsx,csv}`);
}
