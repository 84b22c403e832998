#!/usr/bin/env bash
# The project's entry point. Works on a machine with only Node 20 + npm: the bootstrap
# brings Node 24 and pnpm when the local Node is older than 22.
#
#   ./run.sh sample [sample flags]   run the sample's main job on the embedded default
#   ./run.sh test                    build, lint, typecheck and run every test
#   ./run.sh bench [--quick]         run the benchmarks and rewrite BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")"
. scripts/bootstrap.sh

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  sample)
    pnpm exec turbo run build --filter=@eventport/sample... --output-logs=errors-only >&2
    exec node apps/sample/dist/main.js "$@"
    ;;
  test)
    pnpm exec turbo run build typecheck --output-logs=errors-only
    pnpm lint
    report="$(pwd)/.vitest-report.json"
    rm -f "$report"
    status=0
    pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
    node scripts/test-summary.mjs "$report" || status=1
    exit "$status"
    ;;
  bench)
    pnpm exec turbo run build --filter=@eventport/bench... --output-logs=errors-only >&2
    exec node apps/bench/dist/main.js "$@"
    ;;
  *)
    echo "usage: ./run.sh sample|test|bench [args]" >&2
    exit 2
    ;;
esac
