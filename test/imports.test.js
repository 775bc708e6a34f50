'use strict';
// How the source under nodes/ is layered, read from its import lines (type
// imports included: a cycle of types tangles the reading as much as one of
// values). Each floor may import the floors below it, never one beside or
// above it, and no file reaches itself through its imports.
const fs = require('node:fs');
const path = require('node:path');

const NODES = path.join(__dirname, '..', 'nodes');
const PAYNET = path.join(NODES, 'Paynet');

function sources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** file → the files it imports, for relative imports only (n8n-workflow, zod and crypto are outside). */
function importGraph() {
	const graph = new Map();
	for (const file of sources(NODES)) {
		const text = fs.readFileSync(file, 'utf8');
		const targets = new Set();
		for (const [, specifier] of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
			const base = path.resolve(path.dirname(file), specifier);
			const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
			if (!target) throw new Error(`${path.relative(NODES, file)}: cannot resolve ${specifier}`);
			targets.add(target);
		}
		graph.set(file, targets);
	}
	return graph;
}

/** Every cycle, as the files of one strongly connected component (Tarjan). */
function cycles(graph) {
	let counter = 0;
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const found = [];
	const visit = (file) => {
		index.set(file, counter);
		low.set(file, counter);
		counter += 1;
		stack.push(file);
		onStack.add(file);
		for (const target of graph.get(file) ?? []) {
			if (!index.has(target)) {
				visit(target);
				low.set(file, Math.min(low.get(file), low.get(target)));
			} else if (onStack.has(target)) {
				low.set(file, Math.min(low.get(file), index.get(target)));
			}
		}
		if (low.get(file) !== index.get(file)) return;
		const component = [];
		let member;
		do {
			member = stack.pop();
			onStack.delete(member);
			component.push(member);
		} while (member !== file);
		if (component.length > 1 || graph.get(file).has(file)) found.push(component);
	};
	for (const file of graph.keys()) if (!index.has(file)) visit(file);
	return found.map((component) => component.map((file) => path.relative(NODES, file)).sort());
}

const folderOf = (file) => path.relative(PAYNET, file).split(path.sep)[0];

/** Imports from one folder of nodes/Paynet into another it must not reach. */
function forbiddenImports(graph, forbidden) {
	const found = [];
	for (const [file, targets] of graph)
		for (const target of targets)
			if ((forbidden[folderOf(file)] ?? []).includes(folderOf(target)))
				found.push(`${path.relative(NODES, file)} imports ${path.relative(NODES, target)}`);
	return found;
}

describe('the layout of nodes/', () => {
	const graph = importGraph();

	test('no file imports itself through other files', () => {
		expect(cycles(graph)).toEqual([]);
	});

	test('neither trigger imports the other; the confirmation floor they share imports neither', () => {
		expect(
			forbiddenImports(graph, {
				polling: ['trigger'],
				trigger: ['polling'],
				confirmation: ['trigger', 'polling', 'actions'],
				helpers: ['trigger', 'polling', 'confirmation', 'actions', 'transport'],
				transport: ['trigger', 'polling', 'confirmation', 'actions'],
			}),
		).toEqual([]);
	});

	test('the check sees a cycle and a forbidden import when there is one', () => {
		const a = path.join(PAYNET, 'polling', 'a.ts');
		const b = path.join(PAYNET, 'trigger', 'b.ts');
		const tangled = new Map([
			[a, new Set([b])],
			[b, new Set([a])],
		]);
		expect(cycles(tangled)).toEqual([['Paynet/polling/a.ts', 'Paynet/trigger/b.ts']]);
		expect(forbiddenImports(tangled, { polling: ['trigger'] })).toEqual([
			'Paynet/polling/a.ts imports Paynet/trigger/b.ts',
		]);
	});
});
