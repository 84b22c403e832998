export * from "./PostgresStore.ts"
export * from "./SqlClientAdd.ts"
