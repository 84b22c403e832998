/**
 * How `Intake` gets `StreamIntake` in a bundle: a static import (see `StreamIntakeLoader.ts`, the
 * Node variant, for why bundlers get this one).
 */
import * as Effect from "effect/Effect"
import * as StreamIntakeModule from "./StreamIntake.ts"

export type StreamIntake = typeof StreamIntakeModule

export const loadStreamIntake: Effect.Effect<StreamIntake> = Effect.succeed(StreamIntakeModule)
