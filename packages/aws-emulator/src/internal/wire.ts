import type { ServerResponse } from "node:http"
import type { Protocol, ServiceError, ServiceName } from "../Service.ts"

const contentTypes: Record<Protocol, string> = {
  awsJson1_1: "application/x-amz-json-1.1",
  restJson1: "application/json",
}

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export const sendReply = (
  res: ServerResponse,
  protocol: Protocol,
  requestId: string,
  status: number,
  body: unknown,
): void => sendJson(res, status, body, { "x-amzn-requestid": requestId }, contentTypes[protocol])

/**
 * An error in the protocol's own shape: awsJson puts the code in the body's `__type`, restJson in the
 * `x-amzn-ErrorType` header; Pinpoint's bodies use `Message`/`RequestID`, the IoT ones `message`.
 */
export const sendError = (
  res: ServerResponse,
  protocol: Protocol,
  service: ServiceName | undefined,
  requestId: string,
  error: ServiceError,
): void => {
  if (protocol === "awsJson1_1") {
    sendJson(
      res,
      error.status,
      { __type: error.code, message: error.message },
      { "x-amzn-requestid": requestId },
      contentTypes.awsJson1_1,
    )
    return
  }
  const body =
    service === "pinpoint" ? { Message: error.message, RequestID: requestId } : { message: error.message }
  sendJson(res, error.status, body, { "x-amzn-requestid": requestId, "x-amzn-errortype": error.code })
}
