import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseTransaction } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { isBlank, requireBoolean } from '../../helpers/validation';
import type { DateRangeInput } from '../dateRangeList';
import { dateRangeBody, dateRangeListFields, runDateRangeList } from '../dateRangeList';
import type { OperationRun, PaynetOperation } from '../operation';

export const option: PaynetOperation['option'] = {
	name: 'List',
	value: 'list',
	description: 'List the payments made in a date range, for reconciliation',
	action: 'List payments made in a date range',
};

const properties = dateRangeListFields({
	datedBy: 'payment date',
	rows: 'payments',
	filters: [
		{
			displayName: 'Include Failed',
			name: 'includeFailed',
			type: 'boolean',
			default: false,
			description: 'Whether to also list failed payment attempts',
		},
	],
});

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['list'] } }, properties);

/** The request body for one item's range and filters, under Paynet's names. */
export function buildTransactionListBody(input: DateRangeInput): IDataObject {
	const body = dateRangeBody(input);
	const includeFailed = input.filters.includeFailed;
	if (!isBlank(includeFailed) && requireBoolean('includeFailed', includeFailed))
		body[PAYNET_FIELD.showUnsucceed] = true;
	return body;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: OperationRun,
): Promise<INodeExecutionData[]> {
	return await runDateRangeList(this, items, run, {
		properties,
		endpoint: PAYNET_ENDPOINT.listTransactions,
		buildBody: buildTransactionListBody,
		map: normaliseTransaction,
		simplify: 'payment',
	});
}
