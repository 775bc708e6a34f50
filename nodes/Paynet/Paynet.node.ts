import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runsAsAgentTool, shouldAnswerToolError, toolEmptyAnswer, toolErrorAnswer } from './actions/agentTool';
import { SEARCH_METHOD } from './actions/payLink/locator';
import { searchPayLinks } from './actions/payLink/search';
import { properties, router } from './actions/router';

export class Paynet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paynet',
		name: 'paynet',
		icon: { light: 'file:../../icons/paynet.svg', dark: 'file:../../icons/paynet.dark.svg' },
		group: ['transform'],
		// 2: Get, Deactivate and Reactivate take the PayLink through one Resource
		// Locator (`payLink`) instead of Look Up By and a field per key. Version-1
		// nodes keep their fields and run as before (actions/payLink/locator.ts).
		version: [1, 2],
		defaultVersion: 2,
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

	methods = {
		listSearch: { [SEARCH_METHOD]: searchPayLinks },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read here, once, and passed to the operation: a failing item then becomes an error item.
		const run = { continueOnFail: this.continueOnFail() };
		if (!runsAsAgentTool(this)) return await router.call(this, run);
		let output: INodeExecutionData[][];
		if (!shouldAnswerToolError(this)) {
			output = await router.call(this, run);
		} else {
			try {
				output = await router.call(this, run);
			} catch (error) {
				return toolErrorAnswer(error);
			}
		}
		return output[0].length === 0 ? toolEmptyAnswer(this) : output;
	}
}
