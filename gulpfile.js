// `npm run build` is `n8n-node build && gulp`. The CLI (@n8n/node-cli) builds:
// it empties dist/, runs tsc (which, through tsconfig.json's `nodes/**/*.json`,
// also emits the codex files beside the nodes) and copies every *.png / *.svg
// of the repository into dist/ under the same path. This file does the two
// things the CLI does not:
//   prune: the CLI's copy is a glob over the whole repository, so the README's
//     screenshots (docs/*.png) land in dist/docs/ and would ship in the npm
//     package, where nothing uses them. Only icons/ is kept.
//   check: the CLI gives no error when a codex file or an icon is missing;
//     n8n then loads the node without its category, documentation links or
//     icon, and nothing fails. This fails the build instead: every file that
//     package.json's "n8n" section names, a codex file beside each node, and
//     every `file:` icon the built nodes and credential point at.
const fs = require('node:fs');
const path = require('node:path');
const { series } = require('gulp');

const DIST = path.join(__dirname, 'dist');
const SHIPPED_STATIC = new Set(['icons']);

async function prune() {
	for (const entry of await fs.promises.readdir(DIST, { withFileTypes: true })) {
		const compiled = entry.name === 'nodes' || entry.name === 'credentials';
		if (entry.isDirectory() && !compiled && !SHIPPED_STATIC.has(entry.name))
			await fs.promises.rm(path.join(DIST, entry.name), { recursive: true, force: true });
	}
}

async function check() {
	const { n8n } = require('./package.json');
	const problems = [];
	const iconsOf = (owner, file) => {
		const icon = owner.icon;
		for (const value of typeof icon === 'string' ? [icon] : Object.values(icon ?? {})) {
			const target = path.resolve(path.dirname(file), String(value).replace(/^file:/, ''));
			if (!String(value).startsWith('file:') || !fs.existsSync(target))
				problems.push(`${path.relative(__dirname, file)}: icon ${value} is not in dist/`);
		}
	};
	for (const relative of [...n8n.nodes, ...n8n.credentials]) {
		const file = path.join(__dirname, relative);
		if (!fs.existsSync(file)) {
			problems.push(`${relative} (package.json "n8n") was not built`);
			continue;
		}
		const name = path.basename(file).split('.')[0];
		const instance = new (require(file)[name])();
		if (relative.endsWith('.node.js')) {
			if (!fs.existsSync(`${file}on`)) problems.push(`${relative}: no codex file ${path.basename(file)}on beside it`);
			iconsOf(instance.description, file);
		} else {
			iconsOf(instance, file);
		}
	}
	if (problems.length > 0) throw new Error(`dist/ is not what n8n loads:\n  ${problems.join('\n  ')}`);
}

exports.prune = prune;
exports.check = check;
exports.default = series(prune, check);
