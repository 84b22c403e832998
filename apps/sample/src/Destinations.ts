/**
 * From the config file to the publisher's destinations: one adapter per named destination, made by
 * that type's factory with the AWS client settings of the run (emulator, endpoint or real AWS),
 * and the declarative route turned into a predicate.
 */
import type { Adapter, DestinationOptions, Event } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { firehose } from "@eventport/firehose"
import { iotAnalytics } from "@eventport/iot-analytics"
import { iotEvents } from "@eventport/iot-events"
import { kinesis } from "@eventport/kinesis"
import { memory } from "@eventport/memory"
import { pinpoint } from "@eventport/pinpoint"
import { sns } from "@eventport/sns"
import { sqs } from "@eventport/sqs"
import { Effect } from "effect"
import { nearest } from "./internal/Nearest.ts"
import { compileNameTemplate } from "./NameTemplate.ts"
import { routePredicate } from "./Routing.ts"
import {
  ConfigError,
  type DestinationCheck,
  type DestinationSpec,
  destinationRoute,
  type SampleConfig,
} from "./SampleConfig.ts"
import { UsageError } from "./UsageError.ts"

/** What every AWS SDK client of the run is made with. Credentials stay out of logs and errors. */
export interface AwsClientSettings {
  readonly endpoint?: string
  readonly region?: string
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

export interface SelectedDestination {
  readonly name: string
  readonly spec: DestinationSpec
}

/**
 * The destinations `--to` keeps, in config order. Each token names a destination or a type; a token
 * that matches nothing is an error listing what exists.
 */
export const selectDestinations = (
  config: SampleConfig,
  to: ReadonlyArray<string> | undefined,
): Array<SelectedDestination> => {
  const all = Object.entries(config.destinations).map(([name, spec]) => ({ name, spec }))
  if (to === undefined) return all
  const unknown = to.filter((token) => !all.some((d) => d.name === token || d.spec.type === token))
  if (unknown.length > 0) {
    const candidates = [...new Set(all.flatMap((d) => [d.name, d.spec.type]))]
    const named = unknown.map((token) => {
      const near = nearest(token, candidates)
      return near === undefined ? `"${token}"` : `"${token}" (did you mean "${near}"?)`
    })
    const names = all.map((d) => `${d.name} (${d.spec.type})`).join(", ")
    throw new UsageError(`--to: no destination named or typed ${named.join(", ")}; the config has ${names}`)
  }
  return all.filter((d) => to.includes(d.name) || to.includes(d.spec.type))
}

const makeAdapter = (spec: DestinationSpec, client: AwsClientSettings): Adapter<unknown> => {
  const clientConfig = { ...client }
  switch (spec.type) {
    case "memory":
      // Counts only: the sample's streams can be long and memory must stay flat.
      return memory({
        record: "count",
        receipts: true,
        ...(spec.limits === undefined ? {} : { limits: spec.limits }),
      }) as Adapter<unknown>
    case "eventbridge":
      return eventBridge({
        eventBusName: compileNameTemplate(spec.eventBusName),
        clientConfig,
      }) as Adapter<unknown>
    case "iot-events":
      return iotEvents({ inputName: compileNameTemplate(spec.inputName), clientConfig }) as Adapter<unknown>
    case "iot-analytics":
      return iotAnalytics({
        channelName: compileNameTemplate(spec.channelName),
        clientConfig,
      }) as Adapter<unknown>
    case "pinpoint":
      return pinpoint({
        applicationId: compileNameTemplate(spec.applicationId),
        ...(spec.endpointId === undefined ? {} : { endpointId: compileNameTemplate(spec.endpointId) }),
        clientConfig,
      }) as Adapter<unknown>
    case "kinesis":
      return kinesis({
        ...adapterOptions(spec),
        ...(spec.partitionKey === undefined ? {} : { partitionKey: compileNameTemplate(spec.partitionKey) }),
        ...(spec.explicitHashKey === undefined
          ? {}
          : { explicitHashKey: compileNameTemplate(spec.explicitHashKey) }),
        clientConfig,
      }) as Adapter<unknown>
    case "firehose":
      return firehose({ ...adapterOptions(spec), clientConfig }) as Adapter<unknown>
    case "sqs":
      return sqs({
        ...adapterOptions(spec),
        ...messageTemplates(spec),
        queueUrl: compileNameTemplate(spec.queueUrl),
        clientConfig,
      }) as Adapter<unknown>
    case "sns":
      return sns({
        ...adapterOptions(spec),
        ...messageTemplates(spec),
        topicArn: compileNameTemplate(spec.topicArn),
        ...(spec.subject === undefined ? {} : { subject: compileNameTemplate(spec.subject) }),
        clientConfig,
      }) as Adapter<unknown>
  }
}

/** The settings every destination may carry, which are the publisher's, not the adapter's. */
const settingKeys = new Set(["type", "route", "concurrency", "requestTimeoutMs", "retry"])

/**
 * A destination's own options, as its adapter takes them (JSON values only; templates are turned
 * into functions by the caller).
 */
const adapterOptions = <S extends DestinationSpec>(
  spec: S,
): Omit<S, "type" | "route" | "concurrency" | "requestTimeoutMs" | "retry"> =>
  Object.fromEntries(Object.entries(spec).filter(([key]) => !settingKeys.has(key))) as Omit<
    S,
    "type" | "route" | "concurrency" | "requestTimeoutMs" | "retry"
  >

/** The FIFO group and de-duplication id of an SQS or SNS destination, templates made functions. */
const messageTemplates = (spec: {
  readonly messageGroupId?: string
  readonly deduplicationId?: string
}): {
  messageGroupId?: ReturnType<typeof compileNameTemplate>
  deduplicationId?: ReturnType<typeof compileNameTemplate>
} => ({
  ...(spec.messageGroupId === undefined ? {} : { messageGroupId: compileNameTemplate(spec.messageGroupId) }),
  ...(spec.deduplicationId === undefined
    ? {}
    : { deduplicationId: compileNameTemplate(spec.deduplicationId) }),
})

/**
 * What a destination's adapter factory refuses in its options (e.g. a constant bus name outside the
 * service's pattern), found by making the adapter once and closing it: nothing is sent.
 */
export const destinationOptionsProblem: DestinationCheck = (_name, spec) => {
  let adapter: Adapter<unknown>
  try {
    adapter = makeAdapter(spec, { region: "us-east-1" })
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  Effect.runFork(adapter.close)
  return undefined
}

/** The publisher's `destinations` for the selected ones; a factory's refusal is reported against the config. */
export const buildDestinations = (
  config: SampleConfig,
  selected: ReadonlyArray<SelectedDestination>,
  client: AwsClientSettings,
  configPath: string,
  observe: <E>(name: string, adapter: Adapter<E>) => Adapter<E>,
  /** Called when a destination's route does not take an event (for progress against a known total). */
  onSkipped: (name: string) => void = () => {},
): Record<string, DestinationOptions> => {
  const destinations: Record<string, DestinationOptions> = {}
  for (const { name, spec } of selected) {
    let adapter: Adapter<unknown>
    try {
      adapter = makeAdapter(spec, client)
    } catch (error) {
      if (UsageError.isInstance(error)) throw error
      throw new ConfigError(configPath, [{ path: `destinations.${name}`, message: (error as Error).message }])
    }
    const route = destinationRoute(config, spec)
    const takes = route === undefined ? undefined : routePredicate(route)
    destinations[name] = {
      adapter: observe(name, adapter),
      ...(takes === undefined
        ? {}
        : {
            route: (event: Event) => {
              const taken = takes(event)
              if (!taken) onSkipped(name)
              return taken
            },
          }),
      ...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
      ...(spec.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: spec.requestTimeoutMs }),
      ...(spec.retry === undefined ? {} : { retry: spec.retry }),
    }
  }
  return destinations
}
