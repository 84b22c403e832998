import type { Adapter } from "@eventport/core"

/**
 * A typed adapter as a publisher destination. Core's `DestinationConfig` takes `Adapter<unknown>`,
 * to which `Adapter<Entry>` is not assignable (its `send` is a property, so checked contravariantly).
 */
export const asDestination = <Entry>(adapter: Adapter<Entry>): Adapter<unknown> =>
  adapter as unknown as Adapter<unknown>
