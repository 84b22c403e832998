// Prints the plain `N passed, N failed` line from vitest's own JSON report. Under CI=true a skipped
// test counts as failed: a CI run must not pass without tests that could not run (e.g. those that
// need PostgreSQL or Redis when the server does not answer), and each skipped test is named.
import { readFileSync } from "node:fs"

const file = process.argv[2]
let report
try {
  report = JSON.parse(readFileSync(file, "utf8"))
} catch (error) {
  console.error(`test-summary: no vitest report at ${file}: ${error.message}`)
  process.exit(1)
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
const ci = process.env.CI === "true"
if (ci && skipped > 0) {
  for (const suite of report.testResults ?? [])
    for (const test of suite.assertionResults ?? [])
      if (test.status === "pending" || test.status === "skipped" || test.status === "todo")
        console.error(
          `test-summary: skipped under CI=true, counted as failed: ${test.fullName ?? test.title}`,
        )
}
const failed = report.numFailedTests + (ci ? skipped : 0)
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(failed > 0 || report.numTotalTests === 0 ? 1 : 0)
