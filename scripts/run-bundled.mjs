#!/usr/bin/env node
/**
 * Runs a TypeScript entry point (the server, the load test's relay) as one esbuild bundle of our
 * own code, instead of through tsx's on-the-fly loader:
 *
 *   node scripts/run-bundled.mjs server/start.ts [args…]
 *
 * Why: tsx compiles with esbuild's `keepNames`, which wraps every function our code creates in a
 * `__name(fn, "name")` call (an Object.defineProperty per closure, each time the closure is made).
 * The relay makes several closures per update, and two relays run side by side under the
 * 1,000-client load measured the tsx one at ≈ 8 % more CPU per edit than the bundled one
 * (docs/PERFORMANCE.md). The bundle is built in well under a second at every start, so it never
 * runs stale code; dependencies stay in node_modules (external), as under tsx.
 *
 * `import.meta.url` is replaced, file by file, by that source file's own URL, so code that finds
 * files next to itself (migrations, the built app) works as it does unbundled.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-bundled.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entryPath = resolve(entry);
const outDir = join(ROOT, 'node_modules', '.cache', 'restoflow-bundles');
mkdirSync(outDir, { recursive: true });
const name = relative(ROOT, entryPath).replace(/[\\/]/g, '_').replace(/\.tsx?$/, '');
const outFile = join(outDir, `${name}.mjs`);
// Two processes may start at once (the load test's relays, a test's product processes): each
// builds to its own file and renames it into place, so none imports a half-written bundle.
const tempFile = join(outDir, `${name}.${process.pid}.mjs`);

const keepOwnUrl = {
  name: 'keep-own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

await build({
  entryPoints: [entryPath],
  outfile: tempFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [keepOwnUrl],
});
renameSync(tempFile, outFile);

// Stack traces point at the TypeScript sources, as under tsx.
process.setSourceMapsEnabled(true);
// The entry sees its own arguments, as if it had been started directly.
process.argv = [process.argv[0], outFile, ...args];
await import(pathToFileURL(outFile).href);
