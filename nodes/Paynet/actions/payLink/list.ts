import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalisePayLink } from '../../helpers/normalise';
import { PAYLINK_STATUS, PAYNET_ENDPOINT } from '../../helpers/paynetFields';
import { dateRangeBody, dateRangeListFields, runDateRangeList } from '../dateRangeList';
import type { OperationRun, PaynetOperation } from '../operation';

export const option: PaynetOperation['option'] = {
	name: 'List',
	value: 'list',
	description: 'List the PayLinks created in a date range, with their status',
	action: 'List PayLinks created in a date range',
};

/** The Status filter's choices, as Paynet numbers them. */
const STATUS_BY_FILTER: Record<string, number> = {
	awaitingPayment: PAYLINK_STATUS.awaiting_payment,
	paid: PAYLINK_STATUS.paid,
	expired: PAYLINK_STATUS.expired,
	deactivated: PAYLINK_STATUS.deactivated,
};

const properties = dateRangeListFields({
	datedBy: 'creation date',
	rows: 'PayLinks',
	filters: [
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
});

export const description = updateDisplayOptions({ show: { resource: ['payLink'], operation: ['list'] } }, properties);

/** The status filter as a row predicate; `undefined` when every status is wanted. */
export function statusFilter(statuses: unknown): ((row: IDataObject) => boolean) | undefined {
	const chosen = Array.isArray(statuses) ? statuses : [];
	if (chosen.length === 0) return undefined;
	const wanted = new Set(chosen.map((status) => STATUS_BY_FILTER[String(status)]));
	return (row) => typeof row.status === 'number' && wanted.has(row.status);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: OperationRun,
): Promise<INodeExecutionData[]> {
	return await runDateRangeList(this, items, run, {
		properties,
		endpoint: PAYNET_ENDPOINT.listPayLinks,
		buildBody: dateRangeBody,
		map: normalisePayLink,
		simplify: 'payLink',
		accept: (filters) => statusFilter(filters.status),
	});
}
