#!/usr/bin/env bash
# Everything CI checks, in order: system packages the tests need, types, lint,
# build, then every test. Run after `npm ci` (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm run typecheck
npm run lint
npm run build
npx vitest run
