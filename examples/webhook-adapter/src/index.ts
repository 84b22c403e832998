export * from "./WebhookAdapter.ts"
