import type { INodeProperties } from 'n8n-workflow';

import * as check from './check';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Look up the payment attempts on a reference number or transaction (v1/transaction/check)',
				action: 'Check a payment',
			},
		],
		default: 'check',
	},
	...check.description,
];
