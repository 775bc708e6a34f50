/** A value the user gave that Paynet would refuse or misread; names the field. */
export class InvalidFieldError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
		this.name = 'InvalidFieldError';
	}
}

/** Nothing given: missing, null, or only spaces. An optional field like this is left out. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function requireNonEmpty(field: string, value: unknown): string {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') {
		throw new InvalidFieldError(field, 'is required');
	}
	return text;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

export function requireHttpUrl(field: string, value: unknown): string {
	const text = requireNonEmpty(field, value);
	const url = parseUrl(text);
	if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
		throw new InvalidFieldError(field, `must be an http(s) URL, got ${JSON.stringify(text)}`);
	}
	return text;
}

export function requirePositiveInteger(field: string, value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
		throw new InvalidFieldError(field, `must be a positive whole number, got ${JSON.stringify(value)}`);
	}
	return number;
}

export function requireInteger(field: string, value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
		throw new InvalidFieldError(field, `must be a whole number, got ${JSON.stringify(value)}`);
	}
	return number;
}

export function requireEmail(field: string, value: unknown): string {
	const text = requireNonEmpty(field, value);
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
		throw new InvalidFieldError(field, `is not an email address: ${JSON.stringify(text)}`);
	}
	return text;
}

/** Paynet documents no phone format; spaces are the one thing that is never part of it. */
export function normalisePhone(field: string, value: unknown): string {
	const text = requireNonEmpty(field, value).replace(/[\s\u00a0]/g, '');
	if (!/^\+?[0-9()-]+$/.test(text)) {
		throw new InvalidFieldError(field, `is not a phone number: ${JSON.stringify(value)}`);
	}
	return text;
}

/**
 * A boolean as spreadsheets and expressions give it: `true`/`false` in any
 * case and `1`/`0`, as numbers or text. Anything else is refused, because
 * reading "maybe" or "yes" as false would silently skip a mail or an SMS.
 */
export function requireBoolean(field: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1') return true;
		if (text === 'false' || text === '0') return false;
	}
	throw new InvalidFieldError(field, `must be true or false (or 1/0), got ${JSON.stringify(value)}`);
}
