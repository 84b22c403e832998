/**
 * Takes the AWS SDK v3 logger middleware out of a client an adapter made without a `logger`.
 *
 * Every SDK v3 client runs `loggerMiddleware` on every request
 * (https://github.com/aws/aws-sdk-js-v3/blob/main/packages/middleware-logger/src/loggerMiddleware.ts):
 * an extra async step that copies the output without `$metadata` and runs the command's
 * sensitive-data filters over the input and the output, only to hand them to `logger.info`. With no
 * `logger` in the client's config that is the SDK's `NoOpLogger`, which drops them. In bench
 * scenario 2's profile the step cost about 0.1–0.2 µs per event. A client given a `logger` keeps it.
 */

import { isRecord } from "./ClientSignals.ts"

/** The middleware's name in every SDK v3 client's stack (`loggerMiddlewareOptions.name`). */
const loggerMiddlewareName = "loggerMiddleware"

/** The part of an SDK v3 client this module touches: a stack that can remove a middleware by name. */
const hasRemovableStack = (client: unknown): client is { readonly middlewareStack: RemovableStack } =>
  isRecord(client) && isRecord(client.middlewareStack) && typeof client.middlewareStack.remove === "function"

interface RemovableStack {
  remove(name: string): boolean
}

/**
 * Removes the logger middleware of `client`, an SDK v3 client made from a config without a
 * `logger` (anything else is left as it is). Call it before the client's first request.
 */
export const dropUnusedLogging = (client: unknown): void => {
  if (hasRemovableStack(client)) client.middlewareStack.remove(loggerMiddlewareName)
}
