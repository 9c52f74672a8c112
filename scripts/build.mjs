// Bundles the CLI (and so the server) into dist/ so `numberd` starts on plain Node: loading
// node_modules through a TypeScript loader on every start costs about a second.
import { cpSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  entryNames: 'cli',
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
