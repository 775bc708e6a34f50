import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

export class Paynet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paynet',
		name: 'paynet',
		icon: { light: 'file:../../icons/paynet.svg', dark: 'file:../../icons/paynet.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create and list Paynet PayLinks and check payments',
		defaults: { name: 'Paynet' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'paynetApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
