import type { INodeProperties } from 'n8n-workflow';

/**
 * Description pieces more than one node shows the same way, so a user sees
 * one field by one name and one explanation wherever it appears. What only
 * looks alike (each node's own notice, its own options) stays in its node.
 */

/** An "Add Filter" or "Add Option" collection of `options`. */
export function collection(kind: 'filters' | 'options', options: INodeProperties[]): INodeProperties {
	return {
		displayName: kind === 'filters' ? 'Filters' : 'Options',
		name: kind,
		type: 'collection',
		placeholder: kind === 'filters' ? 'Add Filter' : 'Add Option',
		default: {},
		options,
	};
}

/** The triggers' Event: which payments start a run, in each trigger's words. */
export function eventProperty(successful: string, any: string): INodeProperties {
	return {
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Successful Payment', value: 'successfulPayment', description: successful },
			{ name: 'Any Payment', value: 'anyPayment', description: any },
		],
		default: 'successfulPayment',
	};
}

/** The subtitle both triggers show under their name: the Event chosen. */
export const EVENT_SUBTITLE = '={{ $parameter["event"] === "anyPayment" ? "Any payment" : "Successful payment" }}';

/** Paynet's dealer code, as a filter of what is listed (`rows`: "PayLinks", "payments"). */
export function agentIdFilter(rows: string): INodeProperties {
	return {
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		default: '',
		description: `Only ${rows} of this dealer (bayi) code; Paynet filters by it`,
	};
}

/** Who may post to a trigger's webhook; read by trigger/ipAllowList.ts. */
export const ALLOWED_IPS_OPTION: INodeProperties = {
	displayName: 'Allowed IPs',
	name: 'allowedIps',
	type: 'string',
	default: '',
	placeholder: 'e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32',
	description:
		"Comma-separated IP addresses or CIDR ranges that may post; others get 403. Paynet does not publish its addresses. Behind a reverse proxy, set n8n's N8N_PROXY_HOPS so the client address is the sender's, not the proxy's.",
};
