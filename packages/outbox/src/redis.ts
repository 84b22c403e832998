export * from "./RedisStore.ts"
