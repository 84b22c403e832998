/** Every scenario, in the order the bench runs and reports them. */
import type { Scenario } from "../Scenario.ts"
import { bufferedProducerMemory } from "./BufferedProducerMemory.ts"
import { coldStartScenario } from "./ColdStart.ts"
import { coreThroughput } from "./CoreThroughput.ts"
import { emulatorCapacity } from "./EmulatorCapacity.ts"
import { eventBridgeOverhead } from "./EventBridgeOverhead.ts"
import { fanOut } from "./FanOut.ts"
import { outboxRelays } from "./OutboxRelays.ts"
import { packingEfficiency } from "./PackingEfficiency.ts"
import { sendingAtQuota } from "./SendingAtQuota.ts"
import { soak } from "./Soak.ts"
import { throttlingRecovery } from "./ThrottlingRecovery.ts"

export const scenarios: ReadonlyArray<Scenario> = [
  coreThroughput,
  eventBridgeOverhead,
  fanOut,
  bufferedProducerMemory,
  packingEfficiency,
  throttlingRecovery,
  emulatorCapacity,
  soak,
  sendingAtQuota,
  coldStartScenario,
  outboxRelays,
]
