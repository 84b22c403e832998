export * from "./MemoryAdapter.ts"
export * from "./MemoryFaults.ts"
export * from "./MemoryLimits.ts"
