import { InvalidFieldError, isBlank } from './validation';

/**
 * Paynet reads `datab`/`datbi` as Istanbul calendar days. Türkiye has kept
 * UTC+3 all year since 2016, so a fixed offset is exact for any date a
 * PayLink can have, and avoids a time-zone library the node may not import.
 */
export const ISTANBUL_OFFSET_MS = 3 * 60 * 60 * 1000;
/** Clock skew allowed between Paynet and this server. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

// A day, or a datetime without Z or offset, is already wall-clock time (n8n's
// date picker writes these in the workflow's zone; Paynet's are Istanbul time).
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/;
const ZONED_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function isRealDay(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The instant of a datetime that carries Z or an offset; `undefined` for any other text. */
function zonedInstant(text: string): number | undefined {
	if (!ZONED_DATETIME.test(text)) return undefined;
	// Date.parse is exact for ISO strings that carry Z or an offset, once the offset has its colon.
	const epochMs = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	return Number.isNaN(epochMs) ? undefined : epochMs;
}

/** `YYYY-MM-DD` of the Istanbul day that contains this instant. */
export function istanbulDayOfInstant(epochMs: number): string {
	return new Date(epochMs + ISTANBUL_OFFSET_MS).toISOString().slice(0, 10);
}

function dayFromText(field: string, text: string): string {
	const local = LOCAL_DATETIME.exec(text);
	if (local) {
		const [year, month, day] = [Number(local[1]), Number(local[2]), Number(local[3])];
		if (!isRealDay(year, month, day)) throw new InvalidFieldError(field, `is not a real date: ${JSON.stringify(text)}`);
		return `${local[1]}-${local[2]}-${local[3]}`;
	}
	const epochMs = zonedInstant(text);
	if (epochMs !== undefined) return istanbulDayOfInstant(epochMs);
	throw new InvalidFieldError(
		field,
		`is not a date: ${JSON.stringify(text)}. Use an ISO date such as 2024-05-31 or 2024-05-31T09:00:00+03:00`,
	);
}

interface LuxonLike {
	toISO?: () => string | null;
	toJSDate?: () => Date;
	isValid?: boolean;
}

/**
 * The Istanbul calendar day (`YYYY-MM-DD`) of a date parameter, as n8n may
 * hand it over: an ISO string with or without offset, a Date, a luxon
 * DateTime from an expression such as `{{ $now }}`, or epoch milliseconds.
 */
export function toIstanbulDay(field: string, value: unknown): string {
	if (isBlank(value)) throw new InvalidFieldError(field, 'is required');
	if (typeof value === 'string') return dayFromText(field, value.trim());
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new InvalidFieldError(field, 'is an invalid date');
		return istanbulDayOfInstant(value.getTime());
	}
	if (typeof value === 'number' && Number.isFinite(value)) return istanbulDayOfInstant(value);
	if (typeof value === 'object') {
		const luxon = value as LuxonLike;
		if (luxon.isValid === false) throw new InvalidFieldError(field, 'is an invalid date');
		if (typeof luxon.toISO === 'function') {
			const iso = luxon.toISO();
			if (typeof iso === 'string') return dayFromText(field, iso);
		}
		if (typeof luxon.toJSDate === 'function') return toIstanbulDay(field, luxon.toJSDate());
	}
	throw new InvalidFieldError(field, `is not a date: ${JSON.stringify(value)}`);
}

/** Both ends of a list range as Istanbul days; the end may equal but not precede the start. */
export function toIstanbulDayRange(startDate: unknown, endDate: unknown): { start: string; end: string } {
	const start = toIstanbulDay('startDate', startDate);
	const end = toIstanbulDay('endDate', endDate);
	if (end < start) {
		throw new InvalidFieldError(
			'endDate',
			`(${end}) is before Start Date (startDate, ${start}): the end of the range must not precede its start`,
		);
	}
	return { start, end };
}

/**
 * The instant of a Paynet datetime such as `xact_date` (`2024-05-31T14:05:09.123`,
 * Istanbul wall-clock time without an offset; one with Z or an offset is read
 * as written), in epoch milliseconds; `undefined` when it is not one.
 */
export function istanbulInstant(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const local = LOCAL_DATETIME.exec(text);
	if (!local) return zonedInstant(text);
	const [year, month, day] = [Number(local[1]), Number(local[2]), Number(local[3])];
	// A day alone is no instant.
	if (local[4] === undefined || !isRealDay(year, month, day)) return undefined;
	const milliseconds = local[7] ? Math.round(Number(local[7]) * 1000) : 0;
	const wallClock = Date.UTC(
		year,
		month - 1,
		day,
		Number(local[4]),
		Number(local[5]),
		Number(local[6] ?? 0),
		milliseconds,
	);
	return wallClock - ISTANBUL_OFFSET_MS;
}

/** An instant as Paynet writes its times: Istanbul wall-clock time, without an offset (`2024-05-31T14:05:09.123`). */
export function istanbulWallClock(epochMs: number): string {
	return new Date(epochMs + ISTANBUL_OFFSET_MS).toISOString().slice(0, 23);
}
