import { InvalidFieldError } from './validation';

// Spreadsheets in Turkey write 1.234,56; exports from other tools write
// 1,234.56. Each pattern below has exactly one reading; anything else is
// refused rather than guessed, because a wrong guess charges 1000× too much.
const PATTERNS: Array<{ pattern: RegExp; thousands: string; decimal: string }> = [
	{ pattern: /^\d+$/, thousands: '', decimal: '.' },
	{ pattern: /^\d+\.\d{1,2}$/, thousands: '', decimal: '.' },
	{ pattern: /^\d+,\d{1,2}$/, thousands: '', decimal: ',' },
	{ pattern: /^\d{1,3}(\.\d{3})+,\d{1,2}$/, thousands: '.', decimal: ',' },
	{ pattern: /^\d{1,3}(,\d{3})+\.\d{1,2}$/, thousands: ',', decimal: '.' },
	{ pattern: /^\d{1,3}(\.\d{3}){2,}$/, thousands: '.', decimal: ',' },
	{ pattern: /^\d{1,3}(,\d{3}){2,}$/, thousands: ',', decimal: '.' },
];

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

function hasAtMostTwoDecimals(value: number): boolean {
	const cents = value * 100;
	return Math.abs(cents - Math.round(cents)) < 1e-6;
}

function requirePositive(field: string, value: number, shown: string): number {
	if (!Number.isFinite(value) || value <= 0) {
		throw new InvalidFieldError(field, `must be a positive amount, got ${shown}`);
	}
	return Math.round(value * 100) / 100;
}

/**
 * Reads an amount given as a number or as text in Turkish or English
 * notation and returns it as a number with at most two decimals.
 */
export function parseAmount(raw: unknown, field = 'amount'): number {
	if (typeof raw === 'number') {
		if (Number.isFinite(raw) && !hasAtMostTwoDecimals(raw)) {
			throw new InvalidFieldError(field, `has more than two decimals: ${raw}`);
		}
		return requirePositive(field, raw, String(raw));
	}
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new InvalidFieldError(field, 'is required: give a number such as 120.50 or "1.234,56"');
	}
	const shown = JSON.stringify(raw);
	const text = stripLira(field, raw, shown);
	if (/^-/.test(text)) {
		throw new InvalidFieldError(field, `must be a positive amount, got ${shown}`);
	}
	if (/^\d{1,3}[.,]\d{3}$/.test(text)) {
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
	const normalised = text
		.split(match.thousands || '\u0000')
		.join('')
		.replace(match.decimal, '.');
	return requirePositive(field, Number(normalised), shown);
}
