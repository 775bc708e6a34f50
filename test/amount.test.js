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
		['0', /positive/],
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

	test('the error names the field it was given', () => {
		expect(() => parseAmount('1.234', 'amount')).toThrow(/^amount /);
	});
});
