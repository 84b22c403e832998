/**
 * How `Intake` gets `StreamIntake` under Node: imported the first time a Stream or an async iterable
 * is published, so a process that never publishes one never loads Effect's Stream.
 *
 * Bundlers resolve `#stream-intake-loader` to `StreamIntakeBundled.ts` instead (package.json
 * `imports`, condition `module`): inside a bundle there is no file to save, and a dynamic import
 * would make the bundler wrap `StreamIntake` and every module it reaches (most of Effect) in lazy
 * initialisers, which the engine then parses twice at start-up.
 */
import * as Effect from "effect/Effect"

export type StreamIntake = typeof import("./StreamIntake.ts")

let loaded: StreamIntake | undefined

export const loadStreamIntake: Effect.Effect<StreamIntake> = Effect.suspend(() =>
  loaded !== undefined
    ? Effect.succeed(loaded)
    : Effect.map(
        Effect.promise(() => import("./StreamIntake.ts")),
        (module) => (loaded = module),
      ),
)
