'use strict';
const { DateTime } = require('luxon');
const { toIstanbulDay, toIstanbulDayRange } = require('../dist/nodes/Paynet/helpers/dates');

describe('List dates become Istanbul calendar days', () => {
	test.each([
		['a plain day', '2024-03-01', '2024-03-01'],
		['an offset-less datetime from the date picker, read as wall-clock time', '2024-03-01T23:59:00', '2024-03-01'],
		['UTC 20:59 on the 29th, still the 29th in Istanbul', '2024-02-29T20:59:59Z', '2024-02-29'],
		['UTC 21:00 on the 29th, already the 1st in Istanbul', '2024-02-29T21:00:00.000Z', '2024-03-01'],
		['a New Year instant in UTC', '2023-12-31T21:00:00Z', '2024-01-01'],
		['an offset ahead of Istanbul', '2024-03-01T01:00:00+05:00', '2024-02-29'],
		['an offset behind Istanbul', '2024-03-01T22:00:00-02:00', '2024-03-02'],
		['an offset without colon', '2024-03-01T22:00:00-0200', '2024-03-02'],
		['surrounding spaces', '  2024-03-01  ', '2024-03-01'],
	])('%s', (_name, input, day) => {
		expect(toIstanbulDay('startDate', input)).toBe(day);
	});

	test('a Date and epoch milliseconds are read as instants', () => {
		expect(toIstanbulDay('startDate', new Date('2024-06-30T21:00:00Z'))).toBe('2024-07-01');
		expect(toIstanbulDay('startDate', Date.parse('2024-06-30T20:00:00Z'))).toBe('2024-06-30');
	});

	test('a luxon DateTime from an expression is read in its own zone, then moved to Istanbul', () => {
		const newYork = DateTime.fromISO('2024-03-01T18:00:00', { zone: 'America/New_York' });
		expect(toIstanbulDay('endDate', newYork)).toBe('2024-03-02');
		expect(toIstanbulDay('endDate', { toJSDate: () => new Date('2024-03-01T20:00:00Z') })).toBe('2024-03-01');
	});

	test.each([
		['', 'startDate is required'],
		[null, 'startDate is required'],
		['2024-02-30', 'startDate is not a real date: "2024-02-30"'],
		['yesterday', 'startDate is not a date: "yesterday"'],
		[new Date('nope'), 'startDate is an invalid date'],
		[DateTime.invalid('bad'), 'startDate is an invalid date'],
	])('%p is refused naming the field', (input, message) => {
		expect(() => toIstanbulDay('startDate', input)).toThrow(message);
	});

	test('a one-day range is allowed; an end before the start is refused naming both fields', () => {
		expect(toIstanbulDayRange('2024-03-01', '2024-03-01T23:00:00')).toEqual({ start: '2024-03-01', end: '2024-03-01' });
		let error;
		try {
			toIstanbulDayRange('2024-03-02', '2024-03-01');
		} catch (caught) {
			error = caught;
		}
		expect(error.field).toBe('endDate');
		expect(error.message).toMatch(/^endDate \(2024-03-01\) is before Start Date \(startDate, 2024-03-02\)/);
	});

	test('the comparison is by Istanbul day, not by instant', () => {
		// 22:00Z on the 1st is the 2nd in Istanbul, after a start given as the 2nd
		expect(toIstanbulDayRange('2024-03-02', '2024-03-01T22:00:00Z')).toEqual({
			start: '2024-03-02',
			end: '2024-03-02',
		});
	});
});
