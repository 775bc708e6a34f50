import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runsAsAgentTool, shouldAnswerToolError, toolEmptyAnswer, toolErrorAnswer } from './actions/agentTool';
import { properties, router } from './actions/router';

export class Paynet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paynet',
		name: 'paynet',
		icon: { light: 'file:../../icons/paynet.svg', dark: 'file:../../icons/paynet.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ($parameter["resource"] === "payment" ? "Payment" : "PayLink") + ": " + $parameter["operation"].charAt(0).toUpperCase() + $parameter["operation"].slice(1) }}',
		description: 'Create PayLinks (Paynet payment pages, in Turkish lira), list them, and check payments with Paynet',
		defaults: { name: 'Paynet' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'paynetApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (!runsAsAgentTool(this)) return await router.call(this);
		let output: INodeExecutionData[][];
		if (!shouldAnswerToolError(this)) {
			output = await router.call(this);
		} else {
			try {
				output = await router.call(this);
			} catch (error) {
				return toolErrorAnswer(error);
			}
		}
		return output[0].length === 0 ? toolEmptyAnswer(this) : output;
	}
}
