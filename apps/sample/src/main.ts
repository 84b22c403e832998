#!/usr/bin/env node
/**
 * Entry point. Only the Node version check is loaded statically: the rest (the AWS SDK among it)
 * is imported after it, so an old Node stops here with a clear message and exit code 2.
 */
import { unsupportedNodeProblem } from "./NodeVersion.ts"

const problem = unsupportedNodeProblem(process.versions.node)
if (problem !== undefined) {
  process.stderr.write(problem)
  process.exitCode = 2
} else {
  const { main } = await import("./SampleMain.ts")
  process.exitCode = await main()
}
