import { existsSync, readdirSync } from "node:fs"
import { defineConfig } from "vitest/config"

// One vitest project per workspace package. Tests import sibling packages from their
// TypeScript sources through the `@eventport/source` export condition, so a test run
// never depends on a stale dist/ (the CLI end-to-end tests build first, see run.sh).
const roots = ["packages", "apps", "examples"].flatMap((group) =>
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
