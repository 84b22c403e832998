import { expect } from "vitest"
import { destinationOptionsProblem } from "../../src/Destinations.ts"
import { ConfigError, decodeSampleConfig } from "../../src/SampleConfig.ts"

/** The problems a config file's JSON is refused with, as `path: message` lines (it must be refused). */
export const problemsOf = (json: unknown): ReadonlyArray<string> => {
  try {
    decodeSampleConfig(json, "my.config.json", destinationOptionsProblem)
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true)
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)
  }
  throw new Error("expected a ConfigError")
}
