import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { agentIdFilter, collection, EVENT_SUBTITLE, eventProperty } from './helpers/descriptions';
import { manualResponse, readPollSettings, startPolling } from './polling/lifecycle';

export class PaynetPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paynet Polling Trigger',
		name: 'paynetPollingTrigger',
		icon: { light: 'file:../../icons/paynet.svg', dark: 'file:../../icons/paynet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENT_SUBTITLE,
		description: 'Starts the workflow once for every new Paynet payment, by asking Paynet on a schedule',
		defaults: { name: 'Paynet Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paynetApi', required: true }],
		properties: [
			{
				displayName:
					'Asks Paynet for new payments every few minutes and starts one run per payment, with Paynet’s record of it. Needs no public URL and no Confirmation URL. On its first activation it starts from that moment: earlier payments do not run. Use either this node or the Paynet Trigger for a set of PayLinks, not both: each would start its own run.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			eventProperty('Start only for payments that succeeded', 'Also start for failed payment attempts'),
			{
				displayName: 'Poll Every (Minutes)',
				name: 'pollMinutes',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 1,
				description: 'How often Paynet is asked for new payments',
			},
			collection('filters', [
				{
					displayName: 'Reference Prefix',
					name: 'referencePrefix',
					type: 'string',
					default: '',
					placeholder: 'n8n-',
					description:
						'Only payments whose reference number starts with this. PayLink → Create generates references starting with "n8n-" when it sets a Confirmation URL.',
				},
				agentIdFilter('payments'),
			]),
			collection('options', [
				{
					displayName: 'Catch Up Hours',
					name: 'catchUpHours',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 168,
					description:
						'After n8n or the workflow was stopped, payments up to this many hours old still start their run; older ones are logged at warning level, not run',
				},
			]),
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readPollSettings(this);
		if (this.getMode() === 'manual') return manualResponse(this, settings);
		return startPolling(this, settings);
	}
}
