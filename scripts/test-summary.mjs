// Prints the plain `N passed, N failed` line from vitest's own JSON report.
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
console.log(
  `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`,
)
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 ? 1 : 0)
