/** Paynet's hosts, by the credential's `environment` value. */
export const PAYNET_BASE_URLS = {
	production: 'https://api.paynet.com.tr',
	test: 'https://pts-api.paynet.com.tr',
} as const;

export type PaynetEnvironment = keyof typeof PAYNET_BASE_URLS | 'custom';

export interface PaynetCredentials {
	secretKey: string;
	environment?: PaynetEnvironment;
	baseUrl?: string;
}

/**
 * A credential that cannot say where to send requests. Its message names
 * the setting and what was found there, never the secret key.
 */
export class PaynetConfigurationError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'PaynetConfigurationError';
	}
}

/** A value from the credential in a message: one short line, whatever is stored there. */
function shown(value: unknown): string {
	const text = JSON.stringify(String(value)).replace(/\p{Cc}+/gu, ' ');
	return text.length > 60 ? `${text.slice(0, 59)}…"` : text;
}

/**
 * A custom base URL as requests use it: trimmed, without trailing slashes,
 * http or https. The endpoint path is appended to it as text, so a query or
 * fragment would end up in front of the path (`…?a=1/v1/mailorder/create`)
 * and the request go somewhere else: refused.
 */
function customBaseUrl(raw: unknown): string {
	const text = String(raw ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (text === '') {
		throw new PaynetConfigurationError(
			'The Paynet credential’s Environment is Custom but its Base URL is empty',
			'Enter the base URL requests should go to, for example http://127.0.0.1:8787, or choose Production or Test.',
		);
	}
	const cut = text.search(/[?#]/);
	if (cut !== -1) {
		// Only what comes before the query is echoed: the rest may hold anything.
		throw new PaynetConfigurationError(
			`The Paynet credential’s Base URL must not contain a query (?…) or fragment (#…): ${shown(`${text.slice(0, cut)}${text[cut]}…`)}`,
			'The endpoint path (/v1/mailorder/create, …) is appended to the base URL, so it would land inside the query. Remove everything from the ? or # on.',
		);
	}
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new PaynetConfigurationError(
			`The Paynet credential’s Base URL is not an http(s) URL: ${shown(text)}`,
			'Enter a full URL such as https://proxy.example.com/paynet or http://127.0.0.1:8787.',
		);
	}
	return text;
}

/**
 * The base URL requests go to, without a trailing slash (custom URLs are
 * pasted by hand). An environment other than the three the credential
 * offers is an error, not production: a credential written through the API
 * with "sandbox" must not charge real cards.
 */
export function resolveBaseUrl(credentials: Pick<PaynetCredentials, 'environment' | 'baseUrl'>): string {
	// Not set at all is the credential's default, as in its editor.
	const environment: unknown = credentials.environment || 'production';
	if (environment === 'custom') return customBaseUrl(credentials.baseUrl);
	if (environment === 'production' || environment === 'test') return PAYNET_BASE_URLS[environment];
	throw new PaynetConfigurationError(
		`The Paynet credential’s Environment is ${shown(environment)}, which is not Production, Test or Custom`,
		'Open the credential and choose its Environment again; nothing was sent to Paynet.',
	);
}

// Hosts under .invalid never resolve (RFC 2606), so a connection test with a
// misconfigured credential fails naming the problem instead of reaching
// production or a URL with the endpoint inside its query.
const MISCONFIGURED_ENVIRONMENT = 'https://unknown-environment-choose-production-test-or-custom.invalid';
const MISCONFIGURED_BASE_URL = 'https://base-url-must-not-have-a-query-or-fragment.invalid';

/**
 * The same choice as `resolveBaseUrl`, as an n8n expression: the credential's
 * connection test runs before any node code, so it can only use expressions.
 */
export const BASE_URL_EXPRESSION =
	`={{ $credentials.environment === 'custom'` +
	` ? (/[?#]/.test(String($credentials.baseUrl || '')) ? '${MISCONFIGURED_BASE_URL}'` +
	` : String($credentials.baseUrl || '').trim().replace(/\\/+$/, ''))` +
	` : ($credentials.environment === 'test' ? '${PAYNET_BASE_URLS.test}'` +
	` : (!$credentials.environment || $credentials.environment === 'production' ? '${PAYNET_BASE_URLS.production}'` +
	` : '${MISCONFIGURED_ENVIRONMENT}')) }}`;
