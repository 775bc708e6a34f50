import type { IDataObject } from 'n8n-workflow';

import { NO_DATA_CODE } from '../helpers/paynetFields';
import { PaynetApiError } from './client';

/**
 * Whether Paynet answered "no such record" (`no_data_error`, return code 12
 * `nodata`): nothing matches the key asked for, as opposed to a failure that
 * leaves the question open. A bare 404 does not count: a proxy or a wrong
 * base URL answers that too. Callers decide what it means: no payment yet for
 * Payment → Check, no PayLink to skip for Create, a forged post for the trigger.
 */
export function isPaynetNoData(error: unknown): error is PaynetApiError {
	if (!(error instanceof PaynetApiError)) return false;
	const { details } = error.failure;
	return details.type === 'no_data_error' || Number(details.result_code) === NO_DATA_CODE;
}

/** Envelope fields of Paynet's answers, list or single: none of them is a record. */
const ENVELOPE_FIELDS = new Set([
	'object_name',
	'code',
	'message',
	'Data',
	'data',
	'total',
	'total_count',
	'total_amount',
	'has_more',
	'limit',
	'starting_after',
	'ending_before',
]);

function isEmptyValue(value: unknown): boolean {
	return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Paynet's other way of saying "no such record": a success whose `Data` is
 * null or empty and whose `total`, if sent, is 0 (`{code: 0, Data: null,
 * total: 0}`), with nothing else in it. A success that says neither is no answer at all:
 * a proxy's `{}` or a bare `{code: 0}` proves nothing either way.
 */
export function isNoDataAnswer(body: IDataObject): boolean {
	const data = 'Data' in body ? body.Data : body.data;
	const totalIsZero = body.total === 0 || body.total === '0';
	if (!isEmptyValue(data) || !('total' in body ? totalIsZero : 'Data' in body || 'data' in body)) return false;
	return Object.keys(body).every((key) => ENVELOPE_FIELDS.has(key) || isEmptyValue(body[key]));
}
