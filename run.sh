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

# Runs a build step with its output held back: shown only when the step fails, so a
# working run prints nothing but the command's own output.
quietly() {
  local log status=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
    echo "run.sh: '$*' failed (exit $status, output above)" >&2
  fi
  rm -f "$log"
  return "$status"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  sample)
    quietly pnpm exec turbo run build --filter=@eventport/sample... --output-logs=errors-only
    exec node apps/sample/dist/main.js "$@"
    ;;
  test)
    echo "build and typecheck …"
    quietly pnpm exec turbo run build typecheck --output-logs=errors-only
    echo "lint …"
    quietly pnpm lint
    report="$(pwd)/.vitest-report.json"
    rm -f "$report"
    status=0
    pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
    node scripts/test-summary.mjs "$report" || status=1
    exit "$status"
    ;;
  bench)
    quietly pnpm exec turbo run build --filter=@eventport/bench... --output-logs=errors-only
    exec node apps/bench/dist/main.js "$@"
    ;;
  *)
    echo "usage: ./run.sh sample|test|bench [args]" >&2
    exit 2
    ;;
esac
