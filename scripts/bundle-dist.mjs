// Bundles a package's JavaScript into dist/ with esbuild: `node ../../scripts/bundle-dist.mjs
// src/index.ts [more entry points]`, run from the package after `tsc --emitDeclarationOnly` (the
// .d.ts files stay tsc's). Why: Node compiles each ESM file of a package on its own, so a package
// of 40 small modules costs a process that imports it far more start-up than the same code in one
// file (scenario 10 of apps/bench measures it).
//
// One file per entry point, at the path tsc would give it. Every dependency stays external
// (`effect`, the AWS SDK, other @eventport packages, and `#…` imports, which Node and bundlers
// resolve by condition at run time), and so does an import of another entry point (dynamic ones
// included: what is loaded on first use stays a file of its own). No code splitting: its shared
// chunks come with bare `import "./chunk.js"` lines that bundlers, given `sideEffects: false`, warn
// they ignore. Instead every module must end up in one file only (a class in two files would be two
// classes): a module that two entry points need has to be an entry point itself, checked below.
// Not minified: stack traces and the source maps (to src/, which is published) stay readable.
import { readdirSync, rmSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"
import { build } from "esbuild"

const entryPoints = process.argv.slice(2)
if (entryPoints.length === 0) {
  console.error("bundle-dist: name the entry points, e.g. src/index.ts")
  process.exit(1)
}
/** Where an entry point's file goes: the path tsc would give it. */
const outputOf = (source) => resolve("dist", relative(resolve("src"), source)).replace(/\.ts$/, ".js")
const entries = new Set(entryPoints.map((p) => resolve(p)))

// A previous tsc build left one .js per module: only the bundle's files may be published.
const removeJs = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) removeJs(path)
    else if (/\.js(\.map)?$/.test(entry.name)) rmSync(path)
  }
}
removeJs("dist")

/** In the file of entry point `entry`, an import of another entry point stays an import of its file. */
const entryPointsStayApart = (entry) => ({
  name: "entry-points-stay-apart",
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const target = resolve(args.resolveDir, args.path)
      if (args.kind === "entry-point" || target === entry || !entries.has(target)) return undefined
      const path = relative(dirname(outputOf(entry)), outputOf(target))
        .split(sep)
        .join("/")
      return { path: path.startsWith(".") ? path : `./${path}`, external: true }
    })
  },
})

const fileOf = new Map()
for (const entry of entries) {
  const result = await build({
    entryPoints: [entry],
    outfile: outputOf(entry),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    external: ["#*"],
    plugins: [entryPointsStayApart(entry)],
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: "warning",
  })
  for (const input of Object.keys(result.metafile.inputs)) {
    const other = fileOf.get(input)
    if (other !== undefined) {
      console.error(
        `bundle-dist: ${input} is in the files of both ${other} and ${entry}: make it an entry point`,
      )
      process.exit(1)
    }
    fileOf.set(input, entry)
  }
}
