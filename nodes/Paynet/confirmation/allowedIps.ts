import type { IHookFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Allowed IPs, both triggers' optional allow-list: IPv4 and IPv6 addresses and CIDR
 * ranges. Written by hand because community nodes may not import `node:net`.
 * An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, what a dual-stack
 * server reports for an IPv4 client) is compared as the IPv4 address it is.
 */

export interface IpAddress {
	version: 4 | 6;
	/** 4 bytes for IPv4, 16 for IPv6. */
	bytes: number[];
}

export interface IpRange extends IpAddress {
	prefix: number;
	/** The entry as the user wrote it, for error messages. */
	entry: string;
}

export interface AllowList {
	ranges: IpRange[];
	/** Entries that are neither an address nor a CIDR range. */
	invalid: string[];
}

function parseIpv4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	const bytes: number[] = [];
	for (const part of parts) {
		// Leading zeros are refused: some tools read "010" as octal 8.
		if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
		const value = Number(part);
		if (value > 255) return undefined;
		bytes.push(value);
	}
	return bytes;
}

function parseHextets(groups: string[]): number[] | undefined {
	const bytes: number[] = [];
	for (const group of groups) {
		if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
		const value = parseInt(group, 16);
		bytes.push(value >> 8, value & 0xff);
	}
	return bytes;
}

function parseIpv6(input: string): number[] | undefined {
	// A zone (`fe80::1%eth0`) names the local interface, not part of the address.
	let text = input.replace(/%[0-9a-z_.-]+$/i, '');
	const lastColon = text.lastIndexOf(':');
	const dottedTail = text.slice(lastColon + 1);
	if (lastColon !== -1 && dottedTail.includes('.')) {
		// "::ffff:1.2.3.4" is "::ffff:102:304" written for humans.
		const ipv4 = parseIpv4(dottedTail);
		if (!ipv4) return undefined;
		const hextets = [(ipv4[0] << 8) | ipv4[1], (ipv4[2] << 8) | ipv4[3]].map((value) => value.toString(16));
		text = `${text.slice(0, lastColon + 1)}${hextets.join(':')}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const head = parseHextets(halves[0] === '' ? [] : halves[0].split(':'));
	const tail = parseHextets(halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : []);
	if (!head || !tail) return undefined;
	const given = head.length + tail.length;
	if (halves.length === 1) return given === 16 ? head : undefined;
	// "::" stands for at least one group of zeros.
	if (given > 14) return undefined;
	return [...head, ...new Array<number>(16 - given).fill(0), ...tail];
}

function isIpv4Mapped(bytes: number[]): boolean {
	return bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Parses one address; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): IpAddress | undefined {
	const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
	if (trimmed === '') return undefined;
	const ipv4 = parseIpv4(trimmed);
	if (ipv4) return { version: 4, bytes: ipv4 };
	if (!trimmed.includes(':')) return undefined;
	const ipv6 = parseIpv6(trimmed);
	if (!ipv6) return undefined;
	if (isIpv4Mapped(ipv6)) return { version: 4, bytes: ipv6.slice(12) };
	return { version: 6, bytes: ipv6 };
}

/** Parses `203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32` or `::ffff:10.0.0.0/104`. */
export function parseRange(entry: string): IpRange | undefined {
	const [address, prefixText, extra] = entry.trim().split('/');
	if (extra !== undefined) return undefined;
	const rawAddress = address.trim().replace(/^\[(.*)\]$/, '$1');
	const ip = parseIp(rawAddress);
	if (!ip) return undefined;
	// A mapped range is written in IPv6 bits; parseIp already turned it into IPv4.
	const writtenAsIpv6 = rawAddress.includes(':');
	const writtenBits = writtenAsIpv6 ? 128 : 32;
	let prefix = ip.version === 4 ? 32 : 128;
	if (prefixText !== undefined) {
		if (!/^\d{1,3}$/.test(prefixText.trim())) return undefined;
		const written = Number(prefixText.trim());
		if (written > writtenBits) return undefined;
		prefix = ip.version === 4 && writtenAsIpv6 ? written - 96 : written;
		// "::ffff:0:0/95" would cover more than the mapped space: not expressible as IPv4.
		if (prefix < 0) return undefined;
	}
	return { ...ip, prefix, entry: entry.trim() };
}

/** Splits the comma-separated option (newlines and spaces tolerated) and parses each entry. */
export function parseAllowList(text: string): AllowList {
	const ranges: IpRange[] = [];
	const invalid: string[] = [];
	for (const entry of text.split(/[,\s]+/)) {
		if (entry === '') continue;
		const range = parseRange(entry);
		if (range) ranges.push(range);
		else invalid.push(entry);
	}
	return { ranges, invalid };
}

export function inRange(ip: IpAddress, range: IpRange): boolean {
	if (ip.version !== range.version) return false;
	let bits = range.prefix;
	for (let index = 0; bits > 0; index++, bits -= 8) {
		const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
		if ((ip.bytes[index] & mask) !== (range.bytes[index] & mask)) return false;
	}
	return true;
}

/** An address that cannot be read is never allowed. */
export function isAllowed(ranges: IpRange[], clientIp: string | undefined): boolean {
	const ip = clientIp === undefined ? undefined : parseIp(clientIp);
	return ip !== undefined && ranges.some((range) => inRange(ip, range));
}

/**
 * Whether Allowed IPs refuses this post: `misconfigured` when the list has an
 * entry that is not an address or range (fail closed: a typo must not let
 * everyone in), `forbiddenIp` when the sender is not in it; `undefined` when
 * the list is empty or lets the sender in. Each refusal is logged.
 */
export function refusalByAllowList(
	context: IWebhookFunctions,
	allowedIps: string | undefined,
	nodeLabel: string,
): 'misconfigured' | 'forbiddenIp' | undefined {
	const list = String(allowedIps ?? '').trim();
	if (list === '') return undefined;
	const { ranges, invalid } = parseAllowList(list);
	if (invalid.length > 0) {
		context.logger.error(`${nodeLabel}: invalid Allowed IPs entries: ${invalid.join(', ')}`);
		return 'misconfigured';
	}
	// req.ip honours n8n's proxy-hops setting; X-Forwarded-For alone could be forged.
	const clientIp = context.getRequestObject().ip;
	if (isAllowed(ranges, clientIp)) return undefined;
	context.logger.warn(`${nodeLabel}: refused a post from ${clientIp ?? 'an unknown address'} (not in Allowed IPs)`);
	return 'forbiddenIp';
}

/** Throws at activation, where the user sees it, rather than failing every post. */
export function assertAllowListValid(context: IHookFunctions | ITriggerFunctions): void {
	const options = context.getNodeParameter('options', {}) as { allowedIps?: string };
	const text = String(options.allowedIps ?? '');
	const { ranges, invalid } = parseAllowList(text);
	if (invalid.length > 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Allowed IPs contains ${invalid.length === 1 ? 'an entry that is' : 'entries that are'} not an IP address or CIDR range: ${invalid.join(', ')}`,
			{ description: 'Use comma-separated IPv4/IPv6 addresses or ranges, e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32' },
		);
	}
	// Only commas or spaces: not "allow everyone" (that is an empty field) but a
	// list that allows no one, so every confirmation would be refused with 403.
	if (text.trim() !== '' && ranges.length === 0) {
		throw new NodeOperationError(
			context.getNode(),
			'Allowed IPs holds no address, only commas or spaces: every confirmation would be refused',
			{
				description:
					'Enter the addresses or ranges to accept, e.g. 203.0.113.7, 10.0.0.0/8, or clear the field to accept posts from any address.',
			},
		);
	}
}
