import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { baseUrlOf, CREDENTIAL_NAME } from '../transport/client';
import type { PaynetCredentials } from '../transport/environments';

/**
 * Paynet has no API to register a webhook: the URL is given per PayLink, in
 * PayLink → Create's Confirmation URL. So activation cannot register anything
 * remotely; these functions keep an honest local record of which URL this
 * node is listening on, and refuse to activate with a credential that cannot
 * say where Paynet is (better than answering every post with an error later;
 * an Allowed IPs list that cannot be read is refused by
 * ../confirmation/allowedIps.ts).
 */

const STATIC_DATA_KEY = 'webhookUrl';

/**
 * The credential is hidden only while Verify With Paynet is off, but a
 * workflow imported or built through the API can still arrive with
 * verification on and no credential; every post would then be refused with
 * a 500. Refuse the activation instead, where the user sees why.
 */
export async function assertCredentialWhenVerifying(context: IHookFunctions): Promise<void> {
	if (context.getNodeParameter('verifyWithApi', true) !== true) return;
	if (!context.getNode().credentials?.[CREDENTIAL_NAME]) {
		throw new NodeOperationError(context.getNode(), 'Verify With Paynet is on but no Paynet credential is selected', {
			description:
				'Select a Paynet credential in the node, or turn Verify With Paynet off (then anyone who knows the URL can start the workflow).',
		});
	}
	// An unknown environment or a base URL with a query would make every
	// verification fail; say so now rather than answer each payment with an error.
	const credentials = (await context.getCredentials(CREDENTIAL_NAME)) as unknown as PaynetCredentials;
	baseUrlOf(context, credentials);
}

function currentUrl(context: IHookFunctions): string | undefined {
	return context.getNodeWebhookUrl('default');
}

export function isListening(context: IHookFunctions): boolean {
	const url = currentUrl(context);
	return url !== undefined && context.getWorkflowStaticData('node')[STATIC_DATA_KEY] === url;
}

export function startListening(context: IHookFunctions): void {
	context.getWorkflowStaticData('node')[STATIC_DATA_KEY] = currentUrl(context);
}

/** The accepted-confirmation keys are kept: a re-activated trigger must still recognise old posts. */
export function stopListening(context: IHookFunctions): void {
	delete context.getWorkflowStaticData('node')[STATIC_DATA_KEY];
}
