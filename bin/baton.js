#!/usr/bin/env node
// Baton's entry point. Plain JavaScript so that it can check the Node version before
// loading any TypeScript (Node >= 22.18 runs the .ts sources directly).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `baton: needs Node.js >= 22.18, found ${process.version}.\n` +
      'Run it through npm after `npm ci` (`npx baton ...`): the project pins Node 22 as a dependency.\n',
  );
  process.exit(2);
}
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
