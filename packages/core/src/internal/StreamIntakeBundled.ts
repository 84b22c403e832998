/**
 * How `Intake` gets `StreamIntake` in a bundle: a static import (see `StreamIntakeLoader.ts`, the
 * Node variant, for why bundlers get this one).
 */
import * as Effect from "effect/Effect"
import * as StreamIntakeModule from "./StreamIntake.ts"
import type { StreamIntake } from "./StreamIntakeLoader.ts"

export type { StreamIntake }

export const loadStreamIntake: Effect.Effect<StreamIntake> = Effect.succeed(StreamIntakeModule)
