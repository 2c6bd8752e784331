// Bundles the client, the language server and the CLI into dist/ with esbuild.
// Everything the extension needs at run time is inside these three files, so the
// VSIX ships no node_modules and no native modules.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  // Prefer packages' ES module builds: jsonc-parser's UMD build requires files by
  // computed paths that a bundler cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  define: { IPTABLES_LINT_VERSION: JSON.stringify(version) },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/semantic-worker.ts'], outfile: 'dist/semantic-worker.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
]);
