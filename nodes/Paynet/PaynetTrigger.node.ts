import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ALLOWED_IPS_OPTION, collection, EVENT_SUBTITLE, eventProperty } from './helpers/descriptions';
import { assertAllowListValid } from './confirmation/allowedIps';
import { handleConfirmation } from './trigger/handleConfirmation';
import { assertCredentialWhenVerifying, isListening, startListening, stopListening } from './trigger/lifecycle';

export class PaynetTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Paynet Trigger',
		name: 'paynetTrigger',
		icon: { light: 'file:../../icons/paynet.svg', dark: 'file:../../icons/paynet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENT_SUBTITLE,
		// n8n's node creator shows one "Paynet" entry for the action node and
		// this trigger, and its "Node details" give this description (seen in
		// 1.123 and 2.41), so it describes what the package does for a user.
		description: 'Create and list Paynet PayLinks, check payments, and start a workflow when a customer pays',
		defaults: { name: 'Paynet Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'paynetApi',
				required: true,
				// `hide`, not `show`: n8n's editor takes every parameter named in a
				// credential's `show` for an authentication selector and removes it
				// from the panel (getNodeAuthFields), which hid the toggle.
				displayOptions: { hide: { verifyWithApi: [false] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'paynet',
			},
		],
		properties: [
			{
				displayName:
					'Paynet calls this node when a PayLink is paid. Copy the <b>Production URL</b> above (not the Test URL) into <b>Confirmation URL</b> in PayLink → Create, then activate the workflow (in n8n 2.x: publish it). Each PayLink needs a reference number, which the trigger uses to check the payment with Paynet: Create makes one when you leave Reference No empty.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			eventProperty('Start only when the payment succeeded', 'Also start for confirmations of failed payments'),
			{
				displayName: 'Verify With Paynet',
				name: 'verifyWithApi',
				type: 'boolean',
				default: true,
				description:
					"Whether to confirm each post with Paynet before starting the workflow: the payment must exist and have the posted outcome and amount, and the run then carries Paynet's record of it. Paynet does not sign its posts, so without this anyone who knows the URL can start the workflow.",
			},
			collection('options', [
				ALLOWED_IPS_OPTION,
				{
					displayName: 'Deduplicate',
					name: 'deduplicate',
					type: 'boolean',
					default: true,
					description:
						'Whether a payment posted more than once starts the workflow only once. Accepted payments are remembered for 7 days (at most 50,000); a verified payment older than that is answered "ignored" and logged as a warning.',
				},
			]),
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				assertAllowListValid(this);
				await assertCredentialWhenVerifying(this);
				return isListening(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				assertAllowListValid(this);
				await assertCredentialWhenVerifying(this);
				startListening(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				stopListening(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleConfirmation.call(this);
	}
}
