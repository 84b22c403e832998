/**
 * The Node.js versions the sample runs on. Checked before anything else is loaded, so an old Node
 * gets one clear message instead of a warning from a dependency or a crash half-way through a run.
 * Keep in step with `engines.node` in package.json (a test checks it).
 */
export const minimumNodeMajor = 22

/** Why this Node cannot run the sample, or `undefined` when it can. `version` is `process.versions.node`. */
export const unsupportedNodeProblem = (version: string): string | undefined => {
  const major = Number(version.split(".")[0])
  if (Number.isInteger(major) && major >= minimumNodeMajor) return undefined
  return (
    `eventport-sample: needs Node.js ${minimumNodeMajor} or newer, this is Node.js ${version}.\n` +
    "  From the repository root, ./run.sh sample fetches Node 24 and pnpm into ~/.cache/eventport-toolchain\n" +
    "  and runs the sample with them; or run `. scripts/bootstrap.sh` once in your shell to put them on PATH.\n"
  )
}
