import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { toIstanbulDayRange } from '../../helpers/dates';
import { normalisePayLink } from '../../helpers/normalise';
import { PAYLINK_STATUS, PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { isBlank, requireBoolean, requireNonEmpty, requirePositiveInteger } from '../../helpers/validation';
import { createPaynetClient } from '../../transport/client';
import { fetchListPages } from '../../transport/paging';
import type { PaynetOperation } from '../operation';
import { runPerItem } from '../perItem';

export const option: PaynetOperation['option'] = {
	name: 'List',
	value: 'list',
	description: 'List the PayLinks created in a date range, with their status (v1/mailorder/list)',
	action: 'List PayLinks created in a date range, with their status',
};

/** The Status filter's choices, as Paynet numbers them. */
const STATUS_BY_FILTER: Record<string, number> = {
	awaitingPayment: PAYLINK_STATUS.awaiting_payment,
	paid: PAYLINK_STATUS.paid,
	expired: PAYLINK_STATUS.expired,
	deactivated: PAYLINK_STATUS.deactivated,
};

const properties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'First day of the range, by creation date, as a day in Istanbul time (sent to Paynet as datab)',
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
				description: 'Only PayLinks of this dealer (bayi) code; Paynet filters by it',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: [
					{ name: 'Awaiting Payment', value: 'awaitingPayment' },
					{ name: 'Deactivated', value: 'deactivated' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Paid', value: 'paid' },
				],
				default: [],
				description:
					'Only PayLinks in these states. Paynet cannot filter by status, so the node reads pages until it has enough matching ones.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['payLink'], operation: ['list'] } }, properties);

/** The request body for one item's range and filters, under Paynet's names. */
export function buildListBody(input: { startDate: unknown; endDate: unknown; filters: IDataObject }): IDataObject {
	const { start, end } = toIstanbulDayRange(input.startDate, input.endDate);
	const body: IDataObject = { [PAYNET_FIELD.startDate]: start, [PAYNET_FIELD.endDate]: end };
	const agentId = input.filters.agentId;
	if (!isBlank(agentId)) {
		body[PAYNET_FIELD.agentId] = requireNonEmpty('agentId', agentId);
	}
	return body;
}

/** The status filter as a row predicate; `undefined` when every status is wanted. */
export function statusFilter(statuses: unknown): ((row: IDataObject) => boolean) | undefined {
	const chosen = Array.isArray(statuses) ? statuses : [];
	if (chosen.length === 0) return undefined;
	const wanted = new Set(chosen.map((status) => STATUS_BY_FILTER[String(status)]));
	return (row) => typeof row.status === 'number' && wanted.has(row.status);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(this);
	const node = this.getNode();
	// One item at a time: each may page through thousands of rows, and
	// parallel lists would multiply both memory and load on Paynet.
	return await runPerItem(this, items, {
		properties,
		run: async (itemIndex) => {
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const body = buildListBody({
				startDate: this.getNodeParameter('startDate', itemIndex),
				endDate: this.getNodeParameter('endDate', itemIndex),
				filters,
			});
			const returnAll = requireBoolean('returnAll', this.getNodeParameter('returnAll', itemIndex, false));
			const limit = returnAll
				? undefined
				: requirePositiveInteger('limit', this.getNodeParameter('limit', itemIndex, 50));
			return await fetchListPages(client, PAYNET_ENDPOINT.listPayLinks, body, {
				node,
				itemIndex,
				limit,
				map: normalisePayLink,
				accept: statusFilter(filters.status),
			});
		},
	});
}
