import { existsSync, readdirSync } from "node:fs"
import { defineConfig } from "vitest/config"

// One vitest project per workspace package (packages/, apps/, examples/, tests/). Tests import
// sibling packages from their TypeScript sources through the `@eventport/source` export condition, so a test run
// never depends on a stale dist/ (the CLI end-to-end tests build first, see run.sh).
const roots = ["packages", "apps", "examples", "tests"].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(`${group}/${d.name}/test`))
        .map((d) => `${group}/${d.name}`)
    : [],
)

export default defineConfig({
  test: {
    projects: roots.map((root) => ({
      resolve: { conditions: ["@eventport/source"] },
      ssr: { resolve: { conditions: ["@eventport/source"] } },
      test: {
        name: root.split("/")[1]!,
        root,
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 30_000,
        // A project's global setup (test/global-setup.ts), where it has one: it runs before any test
        // file of the run starts, and only when one of the project's tests is queued.
        ...(existsSync(`${root}/test/global-setup.ts`) ? { globalSetup: ["test/global-setup.ts"] } : {}),
        // Type tests (`typetest/*.test-d.ts`) where a package has them. The tsconfig must include
        // them, or vitest checks nothing and passes.
        ...(existsSync(`${root}/typetest`)
          ? {
              typecheck: {
                enabled: true,
                include: ["typetest/**/*.test-d.ts"],
                tsconfig: "typetest/tsconfig.json",
              },
            }
          : {}),
      },
    })),
  },
})
