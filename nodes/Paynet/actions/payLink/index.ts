import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as list from './list';
import * as lookup from './lookup';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payLink'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a payment link (v1/mailorder/create)',
				action: 'Create a pay link',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Stop a payment link from taking payments (v1/mailorder/status_update, status 3)',
				action: 'Deactivate a pay link',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one payment link by ID or reference number (v1/mailorder/detail)',
				action: 'Get a pay link',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List payment links created in a date range (v1/mailorder/list)',
				action: 'List pay links',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Let a deactivated payment link take payments again (v1/mailorder/status_update, status 0)',
				action: 'Reactivate a pay link',
			},
		],
		default: 'create',
	},
	...create.description,
	...list.description,
	...lookup.description,
];
