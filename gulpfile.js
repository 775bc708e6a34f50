// The build: TypeScript alone does not produce a loadable package, because n8n
// reads icons and codex files (*.node.json) from beside the compiled nodes.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { series, src, dest } = require('gulp');

function clean() {
	// A stale compiled file of a deleted node would still ship and load.
	return fs.promises.rm(path.join(__dirname, 'dist'), { recursive: true, force: true });
}

function compile(done) {
	const tsc = require.resolve('typescript/bin/tsc');
	spawn(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: __dirname }).on(
		'exit',
		(code) => done(code === 0 ? undefined : new Error(`tsc exited with ${code}`)),
	);
}

function copyIcons() {
	return src('icons/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports.clean = clean;
exports['build:assets'] = series(copyIcons, copyCodex);
exports.build = series(clean, compile, copyIcons, copyCodex);
exports.default = exports.build;
