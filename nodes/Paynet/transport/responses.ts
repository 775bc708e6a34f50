import type { IDataObject } from 'n8n-workflow';

import { RETURN_CODE_NAMES, SUCCESS_CODES, UNAUTHORIZED_CODE } from '../helpers/paynetFields';

/**
 * Paynet's documentation prints Turkish amounts unquoted or half-quoted
 * (`"total_amount":2.441,00"`). If a real response ever looks like that, quote
 * the number instead of failing the whole call.
 */
export function repairPaynetJson(text: string): string {
	return text.replace(
		/(:\s*)"?(-?\d{1,3}(?:\.\d{3})*,\d+)"?(?=\s*[,}\]])/g,
		(_match, prefix: string, number: string) => `${prefix}"${number}"`,
	);
}

/** Parses a Paynet body; `undefined` when it is not JSON even after repair. */
export function parsePaynetBody(text: string): unknown {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	try {
		return JSON.parse(trimmed);
	} catch {
		try {
			return JSON.parse(repairPaynetJson(trimmed));
		} catch {
			return undefined;
		}
	}
}

export function toReturnCode(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

export function returnCodeName(code: number | undefined): string | undefined {
	return code === undefined ? undefined : RETURN_CODE_NAMES[code];
}

export interface PaynetFailure {
	message: string;
	description: string;
	/** Paynet's own error fields, safe to show: they never contain the key. */
	details: IDataObject;
	unauthorized: boolean;
}

const IP_HINT =
	'Paynet only accepts calls from IP addresses registered with it: if this n8n server has a new or dynamic public IP, ask Paynet to allow it.';

/**
 * Turns one Paynet answer into a failure, or `undefined` when it is a success.
 * Non-2xx bodies are `{type, message, code, result_code}`; a 200 whose `code`
 * is not 0/100 is a failure too.
 */
export function describePaynetFailure(status: number, body: unknown): PaynetFailure | undefined {
	const object = body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
	const paynetMessage = typeof object?.message === 'string' ? object.message : undefined;
	const type = typeof object?.type === 'string' ? object.type : undefined;
	const returnCode = toReturnCode(status >= 200 && status < 300 ? object?.code : (object?.result_code ?? object?.code));

	if (status >= 200 && status < 300) {
		if (object === undefined) {
			return {
				message: `Paynet answered HTTP ${status} with a body that is not a JSON object`,
				description: 'The response could not be read; nothing was changed on this side.',
				details: { httpCode: status },
				unauthorized: false,
			};
		}
		if (returnCode === undefined || SUCCESS_CODES.has(returnCode)) return undefined;
	}

	const codeName = returnCodeName(returnCode);
	const unauthorized = status === 401 || returnCode === UNAUTHORIZED_CODE || type === 'authorization_error';
	const details: IDataObject = { httpCode: status };
	if (type !== undefined) details.type = type;
	if (paynetMessage !== undefined) details.message = paynetMessage;
	if (returnCode !== undefined) details.result_code = returnCode;
	if (codeName !== undefined) details.result_name = codeName;

	const codeText = returnCode === undefined ? '' : `, return code ${returnCode}${codeName ? ` ${codeName}` : ''}`;
	const where = `HTTP ${status}${type ? `, ${type}` : ''}${codeText}`;

	if (unauthorized) {
		return {
			message: `Paynet rejected the secret key (${where})`,
			description:
				'Check the secret key in the Paynet credential and that it belongs to the chosen environment (production or test).',
			details,
			unauthorized,
		};
	}
	if (object === undefined) {
		return {
			message: `Paynet answered HTTP ${status} with a body that could not be read`,
			description: status === 403 ? IP_HINT : 'The response was not JSON.',
			details,
			unauthorized,
		};
	}
	return {
		message: `Paynet: ${paynetMessage ?? 'request failed'} (${where})`,
		description: status === 403 ? IP_HINT : (paynetMessage ?? ''),
		details,
		unauthorized,
	};
}

/** Network error codes that prove the request never reached Paynet. */
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

const NETWORK_CODE = /^E[A-Z_]{3,}$/;

/**
 * Finds a Node/axios error code (ECONNREFUSED, ETIMEDOUT, …) in what n8n
 * threw: n8n keeps it in `httpCode` of its NodeApiError, axios in `code`,
 * and some versions only in the message text.
 */
export function findNetworkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, httpCode, message, messages } = current as {
			code?: unknown;
			httpCode?: unknown;
			message?: unknown;
			messages?: unknown;
		};
		for (const candidate of [code, httpCode]) {
			if (typeof candidate === 'string' && NETWORK_CODE.test(candidate)) return candidate;
		}
		const texts = [message, ...(Array.isArray(messages) ? messages : [])];
		for (const text of texts) {
			const match = typeof text === 'string' ? /\b(E[A-Z]{3,}[A-Z_]*)\b/.exec(text) : null;
			if (match && NETWORK_CODE.test(match[1])) return match[1];
		}
		if (typeof message === 'string' && /timeout of \d+ms exceeded/i.test(message)) return 'ECONNABORTED';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

// Spelled out because n8n replaces any message containing a raw code such
// as ECONNREFUSED with a generic text that loses the host.
const NETWORK_CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed',
	ERR_INVALID_URL: 'invalid base URL',
};

export function describeNetworkFailure(baseUrl: string, code: string | undefined): PaynetFailure {
	let host = baseUrl;
	try {
		host = new URL(baseUrl).host;
	} catch {
		// an unparsable custom base URL is reported as typed
	}
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
	const words = code ? NETWORK_CODE_WORDS[code] : undefined;
	return {
		message: timedOut
			? `Paynet at ${host} did not answer in time`
			: `Could not reach Paynet at ${host}${words ? ` (${words})` : ''}`,
		description: `Network error ${code ?? 'unknown'}. Check the environment or custom base URL in the Paynet credential. ${IP_HINT}`,
		details: { networkCode: code ?? 'UNKNOWN', host },
		unauthorized: false,
	};
}

/** Seconds or an HTTP date, as `Retry-After` allows; milliseconds from now. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A create answer that Paynet calls a success but that holds no PayLink (no
 * `id` or no `url`: a proxy's empty 200, or `code: 0` alone). There is no
 * link to hand out, and Paynet may still have made one, so it is a failure
 * that must not be retried. `undefined` when the answer is a PayLink.
 */
export function describeMissingPayLink(response: IDataObject): PaynetFailure | undefined {
	const hasText = (value: unknown) => (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
	if (hasText(response.id) && hasText(response.url)) return undefined;
	const missing = ['id', 'url'].filter((field) => !hasText(response[field])).join(' and ');
	let answer = JSON.stringify(response);
	if (answer.length > 300) answer = `${answer.slice(0, 300)}…`;
	const details: IDataObject = { httpCode: 200 };
	if (typeof response.message === 'string') details.message = response.message;
	const code = toReturnCode(response.code);
	if (code !== undefined) details.result_code = code;
	return {
		message: `Paynet answered the create with HTTP 200 but no PayLink (no ${missing}): ${answer}`,
		description: '',
		details,
		unauthorized: false,
	};
}
