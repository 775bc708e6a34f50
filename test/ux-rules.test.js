'use strict';
// The built package's descriptions read the way n8n's reviewers read them
// (n8n's "UX guidelines for community nodes" and its own nodes): short
// actions, no API paths in what a user reads, placeholders that start with
// "e.g.", Resource Locators that open From List, Simplify worded as n8n's.
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const { Paynet } = require(path.join(dist, 'nodes/Paynet/Paynet.node.js'));
const { PaynetTrigger } = require(path.join(dist, 'nodes/Paynet/PaynetTrigger.node.js'));
const { PaynetPollingTrigger } = require(path.join(dist, 'nodes/Paynet/PaynetPollingTrigger.node.js'));
const { PaynetApi } = require(path.join(dist, 'credentials/PaynetApi.credentials.js'));

const NODES = [new Paynet(), new PaynetTrigger(), new PaynetPollingTrigger()];
const CREDENTIAL = new PaynetApi();

/**
 * Texts that break a rule in files other engineers own (the credential, the
 * Polling Trigger), reported to them rather than changed here. Each entry is
 * "<where>: <text>"; remove it once its owner has fixed it.
 */
const OWNED_ELSEWHERE = new Set([]);

/** Collections and fixed collections label their "Add …" button with `placeholder`: a button, not an example. */
const BUTTON_TYPES = new Set(['collection', 'fixedCollection']);

/** Every text a user reads, with where it is: [where, kind, text]. */
function texts(owner, properties) {
	const found = [];
	const walk = (where, property) => {
		const here = `${where} › ${property.displayName} (${property.name})`;
		const kind = property.type === 'notice' ? 'notice' : 'displayName';
		found.push([here, kind, property.displayName]);
		for (const key of ['description', 'hint', 'placeholder']) {
			if (typeof property[key] === 'string' && !(key === 'placeholder' && BUTTON_TYPES.has(property.type)))
				found.push([here, key, property[key]]);
		}
		for (const mode of property.modes ?? []) {
			found.push([`${here} › mode ${mode.name}`, 'displayName', mode.displayName]);
			if (mode.placeholder) found.push([`${here} › mode ${mode.name}`, 'placeholder', mode.placeholder]);
			for (const rule of mode.validation ?? [])
				found.push([`${here} › mode ${mode.name}`, 'errorMessage', rule.properties?.errorMessage ?? '']);
		}
		for (const option of property.options ?? []) {
			if ('displayName' in option) walk(here, option);
			else if ('values' in option) for (const value of option.values) walk(`${here} › ${option.displayName}`, value);
			else {
				const where = `${here} › ${option.name}`;
				found.push([where, 'name', option.name]);
				if (option.description) found.push([where, 'description', option.description]);
				if (option.action) found.push([where, 'action', option.action]);
			}
		}
	};
	for (const property of properties) walk(owner, property);
	return found;
}

const ALL = [
	...NODES.flatMap(({ description }) => [
		[description.displayName, 'description', description.description],
		...texts(description.displayName, description.properties),
	]),
	...texts(`${CREDENTIAL.displayName} credential`, CREDENTIAL.properties),
];
const open = ALL.filter(([where, kind, text]) => !OWNED_ELSEWHERE.has(`${where} ${kind}: ${text}`));

const API_PATH = /\bv1\/|\b(mailorder|transaction)\/[a-z_]+/i;
/** Paynet's wire names belong in docs/operations.md, not in the Paynet node's panel. */
const WIRE_NAME =
	/\b(datab|datbi|expire_date|xact_id|is_succeed|show_unsucceed|starting_after|reference_no|name_surname)\b/;

test('every text the panels show was found (the walk reaches actions, modes and collection options)', () => {
	const kinds = new Set(ALL.map(([, kind]) => kind));
	for (const kind of ['action', 'placeholder', 'description', 'notice', 'errorMessage']) expect(kinds).toContain(kind);
	expect(ALL.length).toBeGreaterThan(100);
});

test('every action is a short phrase: at most 50 characters, no brackets, no semicolons', () => {
	const actions = ALL.filter(([, kind]) => kind === 'action');
	expect(actions.length).toBe(7);
	const bad = actions.filter(([, , text]) => text.length > 50 || /[()[\]{};]/.test(text));
	expect(bad).toEqual([]);
});

test('no text a user reads names an API path', () => {
	expect(open.filter(([, , text]) => API_PATH.test(text))).toEqual([]);
});

test("the Paynet node's panel names no Paynet wire field: those are in docs/operations.md", () => {
	const paynet = open.filter(([where]) => where.startsWith('Paynet ›') || where === 'Paynet');
	expect(paynet.filter(([, , text]) => WIRE_NAME.test(text))).toEqual([]);
});

test('every placeholder of a field starts with "e.g."', () => {
	expect(open.filter(([, kind, text]) => kind === 'placeholder' && !text.startsWith('e.g. '))).toEqual([]);
});

test('what is reported to other owners still needs reporting (an entry fixed upstream is removed from the list)', () => {
	const present = new Set(ALL.map(([where, kind, text]) => `${where} ${kind}: ${text}`));
	expect([...OWNED_ELSEWHERE].filter((entry) => !present.has(entry))).toEqual([]);
});

describe('the PayLink Resource Locator', () => {
	const { description, methods } = new Paynet();
	const locators = description.properties.filter((property) => property.type === 'resourceLocator');

	test('Get, Deactivate and Reactivate (version 2) each take the PayLink through one, named payLink', () => {
		expect(locators.map((p) => p.displayOptions.show.operation[0]).sort()).toEqual(['deactivate', 'get', 'reactivate']);
		for (const locator of locators) {
			expect(locator.name).toBe('payLink');
			expect(locator.displayOptions.show['@version']).toEqual([{ _cnd: { gte: 2 } }]);
		}
	});

	test('From List first and by default, searchable through the node’s list search; then By ID and By Reference No', () => {
		for (const locator of locators) {
			expect(locator.default).toEqual({ mode: 'list', value: '' });
			expect(locator.modes.map((mode) => [mode.name, mode.displayName])).toEqual([
				['list', 'From List'],
				['id', 'By ID'],
				['referenceNo', 'By Reference No'],
			]);
			const [list, id] = locator.modes;
			expect(list.typeOptions).toEqual({ searchListMethod: 'searchPayLinks', searchable: true });
			expect(typeof methods.listSearch[list.typeOptions.searchListMethod]).toBe('function');
			const regex = new RegExp(id.validation[0].properties.regex);
			expect(regex.test('f5e0a85b-2cf0-4596-b0c5-c027de671e49')).toBe(true);
			expect(regex.test('INV-2024-118')).toBe(false);
		}
	});

	test('version 1 keeps Look Up By and its fields, shown only for version 1', () => {
		for (const name of ['lookupBy', 'payLinkId']) {
			const fields = description.properties.filter(
				(p) => p.name === name && p.displayOptions.show.resource?.includes('payLink'),
			);
			expect(fields).toHaveLength(3);
			for (const field of fields) expect(field.displayOptions.show['@version']).toEqual([1]);
		}
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});
});

test('Simplify on PayLink → Get / List and Payment → Check / List, worded as n8n words it, off by default', () => {
	const { description } = new Paynet();
	const simplify = description.properties.filter((property) => property.name === 'simplify');
	const where = simplify.map((p) => `${p.displayOptions.show.resource[0]}.${p.displayOptions.show.operation[0]}`);
	expect(where.sort()).toEqual(['payLink.get', 'payLink.list', 'payment.check', 'payment.list']);
	for (const property of simplify) {
		expect(property).toMatchObject({
			displayName: 'Simplify',
			type: 'boolean',
			default: false,
			description: 'Whether to return a simplified version of the response instead of the raw data',
		});
		expect(property.displayOptions.show['@version']).toBeUndefined();
	}
});
