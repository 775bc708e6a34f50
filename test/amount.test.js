'use strict';
const { parseAmount } = require('../dist/nodes/Paynet/helpers/amount');

describe('amounts from expressions and spreadsheets', () => {
	test.each([
		[120, 120],
		[120.5, 120.5],
		['120.50', 120.5],
		['120,50', 120.5],
		['1.234,56', 1234.56],
		['1234,56', 1234.56],
		['1,234.56', 1234.56],
		['1.234.567,8', 1234567.8],
		['1.234.567', 1234567],
		['1,234,567', 1234567],
		[' 99 ', 99],
		['2\u00a0500,00', 2500],
		[0.1 + 0.2, 0.3],
		['1.234,56 TL', 1234.56],
		['1.234,56TL', 1234.56],
		['₺1.234,56', 1234.56],
		['₺ 99', 99],
		['TRY 250', 250],
		['250 try', 250],
		['Tl 12,5', 12.5],
		['1 234,56', 1234.56],
		['1\u202f234\u202f567.89', 1234567.89],
		['\t1 234 TL\n', 1234],
	])('%p is read as %p', (input, expected) => {
		expect(parseAmount(input)).toBe(expected);
	});

	test.each([
		['1.234', /ambiguous/],
		['1,234', /ambiguous/],
		['12.345', /ambiguous/],
		['120.505', /ambiguous/],
		['1120.505', /more than two decimals/],
		['1.234,567', /more than two decimals/],
		[120.505, /more than two decimals/],
		['0', /at least 0.01/],
		[0, /positive/],
		[-5, /positive/],
		['-5', /positive/],
		['', /required/],
		[undefined, /required/],
		['abc', /not an amount/],
		['$100', /another currency \(\$\): Paynet charges Turkish lira/],
		['100 €', /another currency \(€\)/],
		['USD 100', /another currency \(USD\)/],
		['100eur', /another currency \(eur\)/],
		['US$ 5', /another currency \(US\$\)/],
		['1.234 TL', /ambiguous/],
		['₺1,234', /ambiguous/],
		['TL 5 TL', /both sides/],
		['12 34,56', /spaces may only separate thousands/],
		['1 2345', /spaces may only separate thousands/],
		['-5 TL', /positive/],
		['1.2.3', /not an amount/],
		['12,34.5', /not an amount/],
		[Number.NaN, /positive/],
	])('%p is refused (%p), never guessed', (input, message) => {
		expect(() => parseAmount(input)).toThrow(message);
	});

	describe('money is exact: a whole number of kuruş (issue 21)', () => {
		test.each([
			[0.30000000000000004, 0.3],
			[0.1 + 0.2, 0.3],
			[100 * 1.18, 118],
			[118.00000000000001, 118],
			[19.99 * 3, 59.97],
			['12.345.678,90', 12345678.9],
			['12,345,678.90', 12345678.9],
			['120.5000', 120.5],
			['1.234,5600', 1234.56],
			['9.999.999.999.999,99', 9999999999999.99],
			[9999999999999.99, 9999999999999.99],
			[12345678901.23, 12345678901.23],
			['0,01', 0.01],
			[0.01, 0.01],
		])('%p is sent as %p', (input, expected) => {
			expect(parseAmount(input)).toBe(expected);
			// what reaches Paynet: the JSON of the body
			expect(JSON.stringify(parseAmount(input))).toBe(String(expected));
		});

		test.each([
			[1e-9, 'must be at least 0.01 (one kuruş), got 1e-9'],
			[0.004, 'has more than two decimals: 0.004'],
			['0,004', '"0,004" has more than two decimals'],
			[19.999, 'has more than two decimals: 19.999'],
			['19,999', '"19,999" is ambiguous'],
			['1.999,999', '"1.999,999" has more than two decimals'],
			[1e21, 'is too large to be sent exactly, got 1e+21: the largest amount is 9999999999999.99'],
			[
				'90.071.992.547.409,93',
				'is too large to be sent exactly, got "90.071.992.547.409,93": the largest amount is 9999999999999.99',
			],
			['10.000.000.000.000,00', 'is too large to be sent exactly'],
			[10000000000000, 'is too large to be sent exactly'],
			['0,00', 'must be at least 0.01 (one kuruş), got "0,00"'],
			['1.234,5601', '"1.234,5601" has more than two decimals'],
		])('%p is refused: %p', (input, message) => {
			expect(() => parseAmount(input, 'amount')).toThrow(`amount ${message}`);
		});
	});

	test('the error names the field it was given', () => {
		expect(() => parseAmount('1.234', 'amount')).toThrow(/^amount /);
	});
});
