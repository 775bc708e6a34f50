import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { OUTCOME_UNKNOWN_CODES, RETURN_CODE_NAMES } from '../helpers/paynetFields';
import type { PaynetCredentials } from './environments';
import { PaynetConfigurationError, resolveBaseUrl } from './environments';
import type { PaynetFailure } from './responses';
import {
	describeNetworkFailure,
	describePaynetFailure,
	findNetworkErrorCode,
	NOT_SENT_CODES,
	parsePaynetBody,
	parseRetryAfter,
	toReturnCode,
} from './responses';

export type PaynetContext =
	| IExecuteFunctions
	| IWebhookFunctions
	| IHookFunctions
	| ITriggerFunctions
	// the editor's PayLink list (From List)
	| ILoadOptionsFunctions;

export const CREDENTIAL_NAME = 'paynetApi';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** First backoff; doubles each attempt, with full jitter. */
	baseDelayMs: number;
	/** Time for all attempts together; a retry's own timeout is cut to what is left of it. */
	maxTotalMs: number;
	/** Longest single backoff; a `Retry-After` is honoured up to what is left of `maxTotalMs`. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 300,
	maxTotalMs: 60_000,
	maxDelayMs: 10_000,
};

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface PaynetRequestOptions {
	/**
	 * A call that changes nothing, or changes it to the same state when
	 * repeated, may be retried after a 5xx or a timeout. A create may not:
	 * the first attempt may have made a PayLink already.
	 */
	idempotent: boolean;
	itemIndex?: number;
	retry?: RetryPolicy;
	/** How long one attempt may wait for Paynet's answer. */
	timeoutMs?: number;
}

/** Thrown for every Paynet failure; `failure` says why, for callers that branch on it. */
export class PaynetApiError extends NodeApiError {
	constructor(
		context: PaynetContext,
		readonly failure: PaynetFailure & { status?: number; mayHaveReachedPaynet: boolean },
		itemIndex?: number,
	) {
		super(context.getNode(), failure.details as JsonObject, {
			message: failure.message,
			description: failure.description,
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex,
		});
	}
}

interface RawResponse {
	status: number;
	headers: IDataObject;
	text: string;
}

export interface PaynetClient {
	readonly baseUrl: string;
	request(endpoint: string, body: IDataObject, options: PaynetRequestOptions): Promise<IDataObject>;
}

function isRetryableStatus(status: number): boolean {
	return status === 429 || status >= 500;
}

function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
	// Paynet's own wait is obeyed in full: retrying sooner only earns another 429.
	if (retryAfterMs !== undefined) return retryAfterMs;
	const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** The credential's base URL, or a node error saying what in the credential is wrong, before any request. */
export function baseUrlOf(context: PaynetContext, credentials: PaynetCredentials): string {
	try {
		return resolveBaseUrl(credentials);
	} catch (error) {
		const description = error instanceof PaynetConfigurationError ? error.description : undefined;
		// The message quotes what the credential holds; a key pasted into the wrong field is not repeated.
		const key = String(credentials.secretKey ?? '').trim();
		const message = key === '' ? (error as Error).message : (error as Error).message.split(key).join('…');
		throw new NodeOperationError(context.getNode(), message, { description });
	}
}

/**
 * The only code that talks to Paynet: base URL, auth (through n8n's
 * credential), error mapping, and retries for calls that are safe to repeat.
 */
export async function createPaynetClient(context: PaynetContext): Promise<PaynetClient> {
	const decrypted = await context.getCredentials(CREDENTIAL_NAME);
	const credentials = decrypted as unknown as PaynetCredentials;
	const baseUrl = baseUrlOf(context, credentials);
	// Without this, n8n reads and decrypts the credential again for every
	// request (a database read per PayLink in a 5,000-row run). n8n still
	// applies the credential's own `authenticate` to each request.
	const node = context.getNode().credentials?.[CREDENTIAL_NAME];
	const credentialOptions: IAdditionalCredentialOptions = {
		credentialsDecrypted: {
			id: node?.id ?? '',
			name: node?.name ?? CREDENTIAL_NAME,
			type: CREDENTIAL_NAME,
			data: decrypted,
		},
	};

	async function send(endpoint: string, body: IDataObject, timeoutMs: number): Promise<RawResponse> {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: `${baseUrl}${endpoint}`,
			headers: {
				Accept: 'application/json; charset=UTF-8',
				'Content-Type': 'application/json; charset=UTF-8',
			},
			body: JSON.stringify(body),
			// Read as text: Paynet bodies are not always valid JSON, and the
			// status code is ours to interpret (429 and Retry-After included).
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		};
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_NAME,
			options,
			credentialOptions,
		)) as { statusCode: number; headers?: IDataObject; body: unknown };
		const raw = response.body;
		const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
		return { status: response.statusCode, headers: response.headers ?? {}, text };
	}

	async function request(
		endpoint: string,
		body: IDataObject,
		{ idempotent, itemIndex, retry = DEFAULT_RETRY, timeoutMs = DEFAULT_TIMEOUT_MS }: PaynetRequestOptions,
	): Promise<IDataObject> {
		const started = Date.now();
		for (let attempt = 1; ; attempt++) {
			let response: RawResponse | undefined;
			let networkCode: string | undefined;
			const remaining = retry.maxTotalMs - (Date.now() - started);
			// A create keeps its full timeout: cutting it short would only turn
			// a slow success into an "it may exist" failure.
			const attemptTimeout = idempotent ? Math.max(1, Math.min(timeoutMs, remaining)) : timeoutMs;
			try {
				response = await send(endpoint, body, attemptTimeout);
			} catch (error) {
				networkCode = findNetworkErrorCode(error) ?? 'UNKNOWN';
			}

			const notSent = networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
			const retryable = response
				? isRetryableStatus(response.status) && (idempotent || response.status === 429)
				: idempotent || notSent;
			const retryAfterMs = response ? parseRetryAfter(response.headers['retry-after']) : undefined;
			const wait = backoffMs(retry, attempt, retryAfterMs);
			const canRetry = retryable && attempt < retry.maxAttempts && Date.now() - started + wait <= retry.maxTotalMs;

			if (response) {
				const parsed = parsePaynetBody(response.text);
				const failure = describePaynetFailure(response.status, parsed);
				if (!failure) return parsed as IDataObject;
				if (canRetry) {
					await sleep(wait);
					continue;
				}
				// An unreadable 2xx came from something that took the request:
				// Paynet, or a proxy in front of it that may have passed it on.
				const unreadableSuccess =
					response.status < 300 && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed));
				const mayHaveReachedPaynet =
					!idempotent && (response.status >= 500 || unreadableSuccess || outcomeUnknown(response.status, failure));
				const told =
					response.status === 429 && retryAfterMs !== undefined && retryable && attempt < retry.maxAttempts
						? withRetryAfterHint(failure, retryAfterMs, retry.maxTotalMs - (Date.now() - started))
						: failure;
				throw new PaynetApiError(
					context,
					{
						...(mayHaveReachedPaynet ? withMayExistHint(told, body) : told),
						status: response.status,
						mayHaveReachedPaynet,
					},
					itemIndex,
				);
			}

			if (canRetry) {
				await sleep(wait);
				continue;
			}
			const failure = describeNetworkFailure(baseUrl, networkCode);
			const mayHaveReachedPaynet = !idempotent && !notSent;
			throw new PaynetApiError(
				context,
				{ ...(mayHaveReachedPaynet ? withMayExistHint(failure, body) : failure), mayHaveReachedPaynet },
				itemIndex,
			);
		}
	}

	return { baseUrl, request };
}

/**
 * Whether Paynet's return code leaves a change's outcome open: its server
 * error or timeout (8, 10) on any answer but a 429, which Paynet never
 * processed; on a 2xx also a code its table does not have, which refuses
 * nothing we know of.
 */
function outcomeUnknown(status: number, failure: PaynetFailure): boolean {
	const code = toReturnCode(failure.details.result_code);
	if (code === undefined || status === 429) return false;
	if (OUTCOME_UNKNOWN_CODES.has(code)) return true;
	return status < 300 && RETURN_CODE_NAMES[code] === undefined;
}

function withRetryAfterHint(failure: PaynetFailure, retryAfterMs: number, leftMs: number): PaynetFailure {
	const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
	return {
		...failure,
		message: `${failure.message}. Paynet asked to wait ${seconds(retryAfterMs)} s (Retry-After), longer than the ${seconds(leftMs)} s left for this call, so it was not sent again`,
		description:
			`Nothing was created or changed: HTTP 429 means Paynet did not process the request. Run the item again later. ${failure.description}`.trim(),
	};
}

/** The failure of a create that may have reached Paynet, with how to check before running it again. */
export function withMayExistHint(failure: PaynetFailure, body: IDataObject): PaynetFailure {
	const reference = typeof body.reference_no === 'string' ? body.reference_no : undefined;
	return {
		...failure,
		message: `${failure.message}. The PayLink may have been created`,
		description:
			(reference
				? `Before running this item again, check for it with PayLink → Get by reference number "${reference}" or PayLink → List. `
				: 'Before running this item again, check for it with PayLink → List. ') +
			'It was not retried automatically, to avoid creating two PayLinks.',
	};
}
