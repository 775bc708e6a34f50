import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../nodes/Paynet/helpers/paynetFields';
import { BASE_URL_EXPRESSION, PAYNET_BASE_URLS } from '../nodes/Paynet/transport/environments';

// Today in Istanbul, the day Paynet's date fields are read in; an expression,
// because the connection test runs before any node code.
const TODAY_IN_ISTANBUL = "={{ $now.setZone('Europe/Istanbul').toFormat('yyyy-MM-dd') }}";

const WRONG_KEY =
	'Paynet rejected the secret key. Check the key and that it belongs to the chosen environment (production or test).';
const IP_NOT_ALLOWED =
	"Paynet refused the call (HTTP 403). Paynet only accepts calls from IP addresses registered with it: ask Paynet to allow this n8n server's public IP.";

export class PaynetApi implements ICredentialType {
	name = 'paynetApi';

	displayName = 'Paynet API';

	icon = { light: 'file:../icons/paynet.svg', dark: 'file:../icons/paynet.dark.svg' } as const;

	// The README's section on this credential: it ships with the package, Paynet's pages are Turkish.
	documentationUrl = 'https://github.com/n8n-nodes-paynet/n8n-nodes-paynet?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. sck_...',
			description:
				"Your API secret key (sck_…), from Paynet's merchant panel or from Paynet when your account is opened. Test and live keys differ: a test key works only with Environment = Test. Paynet only answers calls from the static IP addresses registered for your account.",
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: PAYNET_BASE_URLS.production,
				},
				{
					name: 'Test',
					value: 'test',
					description: PAYNET_BASE_URLS.test,
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'A proxy or a test server of your own',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8787',
			description:
				"Where to send Paynet's API calls instead: a proxy of your own in front of Paynet (for example one with the fixed IP Paynet knows), or a test server of your own",
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	// Paynet wants the raw key after "Basic", not base64 of user:password, so
	// n8n's stock Basic Auth credential cannot be used for it. A function, not
	// a `generic` header expression: n8n would evaluate that expression on
	// every request, which was a third of Create's CPU time per item.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			// A key pasted from the panel or a mail often brings a space or a line break along.
			headers: { ...requestOptions.headers, Authorization: `Basic ${String(credentials.secretKey ?? '').trim()}` },
		};
	}

	// The cheapest authenticated call: one row of today's PayLinks.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: PAYNET_ENDPOINT.listPayLinks,
			method: 'POST',
			headers: {
				Accept: 'application/json; charset=UTF-8',
				'Content-Type': 'application/json; charset=UTF-8',
			},
			body: {
				[PAYNET_FIELD.startDate]: TODAY_IN_ISTANBUL,
				[PAYNET_FIELD.endDate]: TODAY_IN_ISTANBUL,
				[PAYNET_FIELD.limit]: 1,
			},
			json: true,
		},
		// n8n checks each rule by its type, so one list may hold both kinds
		// even though the type allows only one: a wrong key comes back as
		// HTTP 401, or as return code 7 (number or string) in a 200 body.
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: WRONG_KEY },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: IP_NOT_ALLOWED },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 7, message: WRONG_KEY },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: '7', message: WRONG_KEY },
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}
