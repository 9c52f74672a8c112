// Bundles the CLI (and so the server) into dist/ so `numberd` starts on plain Node: loading
// node_modules through a TypeScript loader on every start costs about a second.
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes; without a clean start, every rebuild leaves the old ones behind.
rmSync('dist', { recursive: true, force: true });

await build({
  // The CSV reader of `inventory import` runs on a worker thread, from a file of its own.
  entryPoints: { cli: 'src/cli/main.ts', 'inventory-csv-worker': 'src/cli/inventory-csv-worker.ts' },
  outdir: 'dist',
  entryNames: '[name]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The served WSDL set is read next to the module that serves it (src/wire/soap/wsdl in source).
cpSync('src/wire/soap/wsdl', 'dist/wsdl', { recursive: true });
