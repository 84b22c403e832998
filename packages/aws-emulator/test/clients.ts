import { EventBridgeClient } from "@aws-sdk/client-eventbridge"
import { FirehoseClient } from "@aws-sdk/client-firehose"
import { IoTEventsDataClient } from "@aws-sdk/client-iot-events-data"
import { IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import { KinesisClient } from "@aws-sdk/client-kinesis"
import { PinpointClient } from "@aws-sdk/client-pinpoint"
import { SNSClient } from "@aws-sdk/client-sns"
import { SQSClient } from "@aws-sdk/client-sqs"
import type { Emulator, EmulatorCredentials } from "../src/index.ts"

/** SDK client config pointing at the emulator, with SDK retries off as the adapters use them. */
export const clientConfig = (
  emulator: Emulator,
  credentials: EmulatorCredentials = emulator.credentials,
) => ({
  endpoint: emulator.endpoint,
  region: "us-east-1",
  credentials,
  maxAttempts: 1,
})

export const clientsFor = (emulator: Emulator, credentials?: EmulatorCredentials) => {
  const config = clientConfig(emulator, credentials)
  return {
    eventBridge: new EventBridgeClient(config),
    iotEvents: new IoTEventsDataClient(config),
    iotAnalytics: new IoTAnalyticsClient(config),
    pinpoint: new PinpointClient(config),
    // The Kinesis client speaks HTTP/2 (h2c here) with its default request handler, as users run it.
    kinesis: new KinesisClient(config),
    firehose: new FirehoseClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
  }
}

/** The rejection of a promise, for asserting on SDK errors. */
export const errorOf = async (promise: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error("expected the call to fail, but it succeeded")
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
