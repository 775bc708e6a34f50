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
