import { readPaynetNumber } from './normalise';
import { InvalidFieldError } from './validation';

// Spreadsheets in Turkey write 1.234,56; exports from other tools write
// 1,234.56. Each pattern below has exactly one reading; anything else is
// refused rather than guessed, because a wrong guess charges 1000× too much.
// Decimals beyond the second are allowed only as zeros ("120.5000").
const PATTERNS: Array<{ pattern: RegExp; thousands: string; decimal: string }> = [
	{ pattern: /^\d+$/, thousands: '', decimal: '.' },
	{ pattern: /^\d+\.\d+$/, thousands: '', decimal: '.' },
	{ pattern: /^\d+,\d+$/, thousands: '', decimal: ',' },
	{ pattern: /^\d{1,3}(\.\d{3})+,\d+$/, thousands: '.', decimal: ',' },
	{ pattern: /^\d{1,3}(,\d{3})+\.\d+$/, thousands: ',', decimal: '.' },
	{ pattern: /^\d{1,3}(\.\d{3}){2,}$/, thousands: '.', decimal: ',' },
	{ pattern: /^\d{1,3}(,\d{3}){2,}$/, thousands: ',', decimal: '.' },
];

/**
 * The largest amount sent, in kuruş: 15 significant digits, which a double
 * holds and JSON prints back exactly (9,999,999,999,999.99 TL). Past it a
 * double cannot tell neighbouring kuruş apart, so Paynet could receive an
 * amount one kuruş off the one the sheet holds.
 */
export const MAX_AMOUNT_KURUS = 999_999_999_999_999;

/**
 * How far a computed number may sit from a whole kuruş and still mean it:
 * `{{ $json.net * 1.18 }}` gives 118.00000000000001, a hair off 118.00; a
 * millionth of a kuruş is far above such noise and far below any real third
 * decimal.
 */
export const KURUS_NOISE = 1e-6;

const MAX_AMOUNT_TEXT = '9999999999999.99';

// Marks Turkish sheets and accounting exports put next to an amount.
const LIRA_MARK = /^(?:tl|try|₺)$/i;
// Spaces of every width that exports use between thousands.
const GROUP_SPACE = /[ \u00a0\u202f]/;
const GROUPED_BY_SPACES = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?$/;

/**
 * The number part of an amount written with a lira mark before or after it
 * and spaces between thousands. Any other currency is refused: Paynet
 * charges lira, and 100 $ sent as 100 would charge the wrong amount.
 */
function stripLira(field: string, raw: string, shown: string): string {
	const match = /^([^\d.,-]*?)\s*(-?[\d.,][\d.,\s\u00a0\u202f]*?)\s*([^\d.,]*)$/u.exec(raw.trim());
	if (!match) {
		throw new InvalidFieldError(
			field,
			`${shown} is not an amount: use a number such as 120.50, "1.234,56" or "1,234.56"`,
		);
	}
	const [, before, number, after] = match;
	for (const mark of [before.trim(), after.trim()]) {
		if (mark === '' || LIRA_MARK.test(mark)) continue;
		if (/\p{Sc}/u.test(mark) || /^[a-z]{3}$/i.test(mark)) {
			throw new InvalidFieldError(
				field,
				`${shown} is in another currency (${mark}): Paynet charges Turkish lira, so give the amount in TL`,
			);
		}
		throw new InvalidFieldError(
			field,
			`${shown} is not an amount: use a number such as 120.50, "1.234,56" or "1,234.56"`,
		);
	}
	if (before.trim() !== '' && after.trim() !== '') {
		throw new InvalidFieldError(field, `${shown} is not an amount: it has a currency mark on both sides`);
	}
	if (!GROUP_SPACE.test(number)) return number;
	const unsigned = number.replace(/^-/, '');
	if (!GROUPED_BY_SPACES.test(unsigned)) {
		throw new InvalidFieldError(
			field,
			`${shown} is not an amount: spaces may only separate thousands, as in "1 234,56"`,
		);
	}
	return number.replace(/[ \u00a0\u202f]/g, '');
}

function checkedKurus(field: string, kurus: number, shown: string): number {
	if (kurus <= 0) {
		throw new InvalidFieldError(field, `must be at least 0.01 (one kuruş), got ${shown}`);
	}
	if (kurus > MAX_AMOUNT_KURUS) {
		throw new InvalidFieldError(
			field,
			`is too large to be sent exactly, got ${shown}: the largest amount is ${MAX_AMOUNT_TEXT}`,
		);
	}
	return kurus;
}

/** Kuruş of a number: as printed when it has at most two decimals, else within float noise of a whole kuruş. */
function kurusOfNumber(field: string, value: number): number {
	const shown = String(value);
	if (!Number.isFinite(value) || value <= 0) {
		throw new InvalidFieldError(field, `must be a positive amount, got ${shown}`);
	}
	const printed = /^(\d+)(?:\.(\d{1,2}))?$/.exec(shown);
	if (printed) return kurusOfDigits(field, printed[1], printed[2] ?? '', shown);
	const cents = value * 100;
	const kurus = Math.round(cents);
	if (Math.abs(cents - kurus) > KURUS_NOISE) {
		throw new InvalidFieldError(field, `has more than two decimals: ${shown}`);
	}
	return checkedKurus(field, kurus, shown);
}

/** Kuruş of an amount written out in digits, exactly: no float ever holds the lira part alone. */
function kurusOfDigits(field: string, whole: string, decimals: string, shown: string): number {
	if (/[^0]/.test(decimals.slice(2))) {
		throw new InvalidFieldError(field, `${shown} has more than two decimals`);
	}
	const lira = whole.replace(/^0+(?=\d)/, '');
	// Longer than any allowed amount: refused before Number() could round it.
	if (lira.length > MAX_AMOUNT_TEXT.indexOf('.')) {
		throw new InvalidFieldError(
			field,
			`is too large to be sent exactly, got ${shown}: the largest amount is ${MAX_AMOUNT_TEXT}`,
		);
	}
	return checkedKurus(field, Number(lira) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0')), shown);
}

/**
 * Reads an amount given as a number or as text in Turkish or English
 * notation and returns it as a number with at most two decimals: a whole
 * number of kuruş, divided by 100 only at the end, so what Paynet receives
 * is exactly the amount the sheet holds. Anything that is not such an
 * amount is refused, never rounded into one.
 */
export function parseAmount(raw: unknown, field = 'amount'): number {
	return parseAmountInKurus(raw, field) / 100;
}

/** As parseAmount, in whole kuruş. */
export function parseAmountInKurus(raw: unknown, field = 'amount'): number {
	if (typeof raw === 'number') return kurusOfNumber(field, raw);
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new InvalidFieldError(field, 'is required: give a number such as 120.50 or "1.234,56"');
	}
	const shown = JSON.stringify(raw);
	const text = stripLira(field, raw, shown);
	if (/^-/.test(text)) {
		throw new InvalidFieldError(field, `must be a positive amount, got ${shown}`);
	}
	// "0,004" cannot be thousands: it is a third decimal, refused below.
	if (/^(?!0[.,])\d{1,3}[.,]\d{3}$/.test(text)) {
		throw new InvalidFieldError(
			field,
			`${shown} is ambiguous: it could mean ${text.replace(/[.,]/, '')} or ${text.replace(',', '.')}. ` +
				`Write it with decimals (for example ${text}${text.includes('.') ? ',00' : '.00'}) or as a plain number`,
		);
	}
	const match = PATTERNS.find(({ pattern }) => pattern.test(text));
	if (!match) {
		const decimals = /[.,](\d{3,})$/.exec(text);
		throw new InvalidFieldError(
			field,
			decimals
				? `${shown} has more than two decimals`
				: `${shown} is not an amount: use a number such as 120.50, "1.234,56" or "1,234.56"`,
		);
	}
	const [whole, decimals = ''] = text
		.split(match.thousands || '\u0000')
		.join('')
		.split(match.decimal);
	return kurusOfDigits(field, whole, decimals, shown);
}

/**
 * Kuruş of an amount Paynet or a poster sent, read in any of Paynet's
 * notations; `undefined` when it is not a whole number of kuruş (19.999,
 * 1e-9, past the largest amount). Amounts are compared this way, never as
 * floats rounded to cents, which would take 19.999 for 20.00.
 */
export function exactKurus(value: unknown): number | undefined {
	const number = readPaynetNumber(value);
	if (number === undefined) return undefined;
	try {
		return kurusOfNumber('amount', number);
	} catch {
		return undefined;
	}
}
