import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toIstanbulDayRange } from '../helpers/dates';
import { PAYNET_FIELD } from '../helpers/paynetFields';
import { isBlank, requireBoolean, requireNonEmpty, requirePositiveInteger } from '../helpers/validation';

// PayLink → List and Payment → List ask Paynet the same way: a range of
// Istanbul days, optionally one dealer, all rows or up to a limit. Their
// fields and the reading of them live here; each operation adds its own
// filters, endpoint and normaliser.

/**
 * The fields of a list over a date range, in the order the panel shows them:
 * Start Date, End Date, Return All, Limit, then Filters with Agent ID first
 * and the operation's own filters after it.
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
			description: `First day of the range, by ${list.datedBy}, as a day in Istanbul time (sent to Paynet as datab)`,
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
					description: `Only ${list.rows} of this dealer (bayi) code; Paynet filters by it`,
				},
				...list.filters,
			],
		},
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

/**
 * Reads one item's list request: its body, built and checked by the
 * operation's `buildBody`, then how many rows it asks for (`undefined` with
 * Return All), so a bad range is reported before a bad Limit.
 */
export function readDateRangeList(
	context: IExecuteFunctions,
	itemIndex: number,
	buildBody: (input: DateRangeInput) => IDataObject,
): { body: IDataObject; filters: IDataObject; limit: number | undefined } {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const body = buildBody({
		startDate: context.getNodeParameter('startDate', itemIndex),
		endDate: context.getNodeParameter('endDate', itemIndex),
		filters,
	});
	const returnAll = requireBoolean('returnAll', context.getNodeParameter('returnAll', itemIndex, false));
	const limit = returnAll
		? undefined
		: requirePositiveInteger('limit', context.getNodeParameter('limit', itemIndex, 50));
	return { body, filters, limit };
}
