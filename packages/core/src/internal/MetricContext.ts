/**
 * A destination's metric attributes put into its workers' context once. `Metric.withAttributes`
 * adds them to the context on every update (a new context per update, two per request); the
 * workers' context never changes, so the context with the attributes is made once and the plain
 * metrics are updated in it. The attributes merge over the context's own, as withAttributes does.
 */
import * as Context from "effect/Context"
import * as Metric from "effect/Metric"

export const withMetricAttributes = (
  context: Context.Context<never>,
  attributes: Readonly<Record<string, string>>,
): Context.Context<never> =>
  Context.add(context, Metric.CurrentMetricAttributes, {
    ...Context.get(context, Metric.CurrentMetricAttributes),
    ...attributes,
  })
