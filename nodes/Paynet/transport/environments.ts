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

/** The base URL requests go to, without a trailing slash (custom URLs are pasted by hand). */
export function resolveBaseUrl(credentials: Pick<PaynetCredentials, 'environment' | 'baseUrl'>): string {
	const environment = credentials.environment ?? 'production';
	if (environment === 'custom') {
		return String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
	}
	return PAYNET_BASE_URLS[environment] ?? PAYNET_BASE_URLS.production;
}

/**
 * The same choice as `resolveBaseUrl`, as an n8n expression: the credential's
 * connection test runs before any node code, so it can only use expressions.
 */
export const BASE_URL_EXPRESSION =
	`={{ $credentials.environment === 'custom'` +
	` ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '')` +
	` : ($credentials.environment === 'test' ? '${PAYNET_BASE_URLS.test}' : '${PAYNET_BASE_URLS.production}') }}`;
