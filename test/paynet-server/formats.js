'use strict';
// Paynet's wire formats: offset-less Istanbul datetimes, Turkish amounts, index paging.

const ISTANBUL_OFFSET_MS = 3 * 60 * 60 * 1000; // Türkiye has kept UTC+3 all year since 2016

/** `2015-06-16T13:53:18.933`, Istanbul local time, as in Paynet's samples. */
function istanbulDateTime(date = new Date()) {
	return new Date(date.getTime() + ISTANBUL_OFFSET_MS).toISOString().replace(/Z$/, '');
}

/** `YYYY-MM-DD` of an Istanbul datetime string or Date. */
function istanbulDay(value) {
	if (typeof value === 'string') return value.slice(0, 10);
	return istanbulDateTime(value).slice(0, 10);
}

/** 2441 → "2.441,00" */
function turkishAmount(value) {
	const [whole, cents] = Number(value).toFixed(2).split('.');
	return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${cents}`;
}

function requireDate(body, field) {
	const value = body[field];
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
		return `${field} is required as YYYY-MM-DD`;
	}
	return undefined;
}

/**
 * Paynet's index paging: `starting_after` N returns rows N.. N+limit; default
 * page 10. `maxPageSize` caps what one call returns, as a real server may.
 */
/**
 * One page of a list. Paynet's "15 with limit 15 → rows 15–30" reads both as
 * "skip 15" and as "the rows after row 15, counting from 1": `oneBased` answers
 * the second way (rows 16–30), so a client that assumes either is caught.
 */
function page(rows, body, maxPageSize, { oneBased = false } = {}) {
	const requested = body.limit === undefined || body.limit === '' ? 10 : Number(body.limit);
	const limit = Math.max(1, Math.min(Number.isFinite(requested) ? requested : 10, maxPageSize));
	const startingAfter = Math.max(0, Number(body.starting_after) || 0);
	const endingBefore = Math.max(0, Number(body.ending_before) || 0);
	const skipped = oneBased && startingAfter > 0 ? startingAfter + 1 : startingAfter;
	const start = endingBefore > 0 ? Math.max(0, endingBefore - limit) : skipped;
	const end = endingBefore > 0 ? endingBefore : start + limit;
	const slice = rows.slice(start, Math.min(end, rows.length));
	const totalAmount = rows.reduce((sum, row) => sum + Number(row.amount || 0), 0);
	return {
		total: rows.length,
		total_count: slice.length,
		total_amount: turkishAmount(totalAmount),
		limit,
		ending_before: endingBefore,
		starting_after: startingAfter,
		has_more: end < rows.length,
		Data: slice,
	};
}

module.exports = { ISTANBUL_OFFSET_MS, istanbulDateTime, istanbulDay, turkishAmount, requireDate, page };
