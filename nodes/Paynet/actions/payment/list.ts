import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { toIstanbulDayRange } from '../../helpers/dates';
import { normaliseTransaction } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { isBlank, requireBoolean, requireNonEmpty, requirePositiveInteger } from '../../helpers/validation';
import { createPaynetClient } from '../../transport/client';
import { fetchListPages } from '../../transport/paging';
import type { PaynetOperation } from '../operation';
import { runPerItem } from '../perItem';

export const option: PaynetOperation['option'] = {
	name: 'List',
	value: 'list',
	description: 'List the payments made in a date range, for reconciliation (v1/transaction/list)',
	action: 'List payments',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'First day of the range, by payment date, as a day in Istanbul time (sent to Paynet as datab)',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Last day of the range, included, as a day in Istanbul time (sent to Paynet as datbi). Must not be before Start Date.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Agent ID',
				name: 'agentId',
				type: 'string',
				default: '',
				description: 'Only payments of this dealer (bayi) code; Paynet filters by it',
			},
			{
				displayName: 'Include Failed',
				name: 'includeFailed',
				type: 'boolean',
				default: false,
				description: 'Whether to also list failed payment attempts (is_succeed false)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['list'] } }, properties);

/** The request body for one item's range and filters, under Paynet's names. */
export function buildTransactionListBody(input: {
	startDate: unknown;
	endDate: unknown;
	filters: IDataObject;
}): IDataObject {
	const { start, end } = toIstanbulDayRange(input.startDate, input.endDate);
	const body: IDataObject = { [PAYNET_FIELD.startDate]: start, [PAYNET_FIELD.endDate]: end };
	const { agentId, includeFailed } = input.filters;
	if (!isBlank(agentId)) body[PAYNET_FIELD.agentId] = requireNonEmpty('agentId', agentId);
	if (!isBlank(includeFailed) && requireBoolean('includeFailed', includeFailed))
		body[PAYNET_FIELD.showUnsucceed] = true;
	return body;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(this);
	const node = this.getNode();
	// One item at a time, as PayLink → List: each may page through thousands of rows.
	return await runPerItem(this, items, {
		properties,
		run: async (itemIndex) => {
			const body = buildTransactionListBody({
				startDate: this.getNodeParameter('startDate', itemIndex),
				endDate: this.getNodeParameter('endDate', itemIndex),
				filters: this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
			});
			const returnAll = requireBoolean('returnAll', this.getNodeParameter('returnAll', itemIndex, false));
			const limit = returnAll
				? undefined
				: requirePositiveInteger('limit', this.getNodeParameter('limit', itemIndex, 50));
			return await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, body, {
				node,
				itemIndex,
				limit,
				map: normaliseTransaction,
			});
		},
	});
}
