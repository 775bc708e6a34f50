import { NO_DATA_CODE } from '../helpers/paynetFields';
import { PaynetApiError } from './client';

/**
 * Whether Paynet answered "no data" (return code 12, `nodata`): nothing
 * matches the key asked for. Callers decide what that means: no payment yet
 * for Payment → Check, a transaction that does not exist for the trigger.
 */
export function isPaynetNoData(error: unknown): error is PaynetApiError {
	return error instanceof PaynetApiError && Number(error.failure.details.result_code) === NO_DATA_CODE;
}
