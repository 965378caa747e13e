#!/usr/bin/env node
// The CLI runs the compiled code in dist/ (built by `npm run build`).
// A closed pipe (`image2svg ... | head`) ends the output quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  process.stderr.write('image2svg: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
process.exitCode = await cli.run(process.argv.slice(2));
