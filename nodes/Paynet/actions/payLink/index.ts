import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';

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
		],
		default: 'create',
	},
	...create.description,
];
