import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toIstanbulDayRange } from '../helpers/dates';
import { agentIdFilter, collection } from '../helpers/descriptions';
import { PAYNET_FIELD } from '../helpers/paynetFields';
import { isBlank, requireBoolean, requireNonEmpty, requirePositiveInteger } from '../helpers/validation';
import { createPaynetClient } from '../transport/client';
import { fetchListPages } from '../transport/paging';
import type { OperationRun } from './operation';
import { runPerItem } from './perItem';
import type { SimplifiedKind } from './simplify';
import { readSimplify, SIMPLIFY_PROPERTY } from './simplify';

// PayLink → List and Payment → List ask Paynet the same way: a range of
// Istanbul days, optionally one dealer, all rows or up to a limit. Their
// fields and their run live here; each operation adds its own filter,
// endpoint and normaliser.

/**
 * The fields of a list over a date range, in the order the panel shows them:
 * Start Date, End Date, Return All, Limit, Simplify, then Filters with
 * Agent ID first and the operation's own filters after it.
 */
export function dateRangeListFields(list: {
	/** What the range is over, e.g. "creation date". */
	datedBy: string;
	/** What the list holds, e.g. "PayLinks". */
	rows: string;
	filters: INodeProperties[];
}): INodeProperties[] {
	return [
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: `First day of the range, by ${list.datedBy}, as a day in Istanbul time`,
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'Last day of the range, included, as a day in Istanbul time. Must not be before Start Date.',
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
		SIMPLIFY_PROPERTY,
		collection('filters', [agentIdFilter(list.rows), ...list.filters]),
	];
}

/** One item's range and filters, as the user gave them. */
export interface DateRangeInput {
	startDate: unknown;
	endDate: unknown;
	filters: IDataObject;
}

/** The request body for a range and the Agent ID filter, under Paynet's names. */
export function dateRangeBody(input: DateRangeInput): IDataObject {
	const { start, end } = toIstanbulDayRange(input.startDate, input.endDate);
	const body: IDataObject = { [PAYNET_FIELD.startDate]: start, [PAYNET_FIELD.endDate]: end };
	const agentId = input.filters.agentId;
	if (!isBlank(agentId)) body[PAYNET_FIELD.agentId] = requireNonEmpty('agentId', agentId);
	return body;
}

/** What one List operation adds to the shared fields and reading. */
export interface DateRangeList {
	/** The operation's fields, so an error names a field as the user sees it. */
	properties: INodeProperties[];
	endpoint: string;
	/** The body from the item's range and filters, each checked. */
	buildBody: (input: DateRangeInput) => IDataObject;
	/** Applied to every row (e.g. normalisePayLink). */
	map: (row: IDataObject) => IDataObject;
	/** What Simplify keeps of each row. */
	simplify: SimplifiedKind;
	/** A row filter from the item's Filters, for what Paynet cannot filter; `undefined` keeps every row. */
	accept?: (filters: IDataObject) => ((row: IDataObject) => boolean) | undefined;
}

/** Runs a List operation: for each item, its range and filters, then all rows or up to its Limit. */
export async function runDateRangeList(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	{ continueOnFail }: OperationRun,
	list: DateRangeList,
): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(context);
	const node = context.getNode();
	// One item at a time: each may page through thousands of rows, and
	// parallel lists would multiply both memory and load on Paynet.
	return await runPerItem(context, items, {
		properties: list.properties,
		continueOnFail,
		run: async (itemIndex) => {
			const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const body = list.buildBody({
				startDate: context.getNodeParameter('startDate', itemIndex),
				endDate: context.getNodeParameter('endDate', itemIndex),
				filters,
			});
			// Read after the body, so a bad range is reported before a bad Limit.
			const returnAll = requireBoolean('returnAll', context.getNodeParameter('returnAll', itemIndex, false));
			const limit = returnAll
				? undefined
				: requirePositiveInteger('limit', context.getNodeParameter('limit', itemIndex, 50));
			const asAsked = readSimplify(context, itemIndex, list.simplify);
			const rows = await fetchListPages(client, list.endpoint, body, {
				node,
				itemIndex,
				limit,
				map: list.map,
				accept: list.accept?.(filters),
			});
			return asAsked(rows);
		},
	});
}
