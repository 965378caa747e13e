import { execSync } from 'node:child_process';

/**
 * Builds the Node code once before the tests: the CLI is tested as a process
 * and the service runs conversions in worker threads, both from `dist/`.
 */
export default function setup(): void {
  if (process.env.SKIP_BUILD === '1') return;
  execSync('npx tsc -p tsconfig.build.json', { stdio: 'inherit' });
}
