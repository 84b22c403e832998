/** Every scenario, in the order the bench runs and reports them. */
import type { Scenario } from "../Scenario.ts"
import { emulatorCapacity } from "./EmulatorCapacity.ts"

export const scenarios: ReadonlyArray<Scenario> = [emulatorCapacity]
