import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { agentIdFilter, ALLOWED_IPS_OPTION, collection, EVENT_SUBTITLE, eventProperty } from './helpers/descriptions';
import { manualResponse, readPollSettings, startPolling } from './polling/lifecycle';
import { handleListenPost } from './polling/listen';
import { assertAllowListValid } from './confirmation/allowedIps';

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
		webhooks: [
			{
				name: 'default',
				// No method, no webhook: n8n registers none while Listen is off, and "Fetch Test Event" reads Paynet at once.
				httpMethod: '={{ $parameter["listen"] ? "POST" : "" }}',
				responseMode: 'onReceived',
				path: 'paynet',
				ndvHideUrl: '={{ !$parameter["listen"] }}',
				ndvHideMethod: true,
			},
		],
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
			{
				displayName: "Listen for Paynet's Posts",
				name: 'listen',
				type: 'boolean',
				default: false,
				description:
					"Whether the node also takes Paynet's confirmation posts (paste its Production URL into a PayLink's Confirmation URL). A post starts no run by itself: it makes the node poll at once, so the payment's one run starts within seconds instead of at the next poll.",
			},
			{
				displayName:
					'Copy the <b>Production URL</b> above into <b>Confirmation URL</b> in PayLink → Create. Each post is answered at once and makes the node poll now; the run comes from Paynet’s list, so a repeated or forged post starts nothing. In queue mode a post answered by a webhook processor waits for the next scheduled poll.',
				name: 'listenNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { listen: [true] } },
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
				{ ...ALLOWED_IPS_OPTION, displayOptions: { show: { '/listen': [true] } } },
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
		if (settings.listen) assertAllowListValid(this);
		if (this.getMode() === 'manual') return manualResponse(this, settings);
		return await startPolling(this, settings);
	}

	/**
	 * Paynet has no API to register a webhook (the URL is given per PayLink),
	 * so there is nothing to find or remove remotely: activation only checks
	 * the Allowed IPs. Nothing is written to static data here, because the
	 * trigger's copy, saved with each run, would overwrite it.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				assertAllowListValid(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleListenPost.call(this);
	}
}
