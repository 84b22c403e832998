export * from "./Arbitraries.ts"
export * from "./Conformance.ts"
export * from "./ConformanceHarness.ts"
export * from "./EventFactory.ts"
