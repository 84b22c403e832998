import type { ServerResponse } from "node:http"
import type { Protocol, ServiceError, ServiceName } from "../Service.ts"
import { queryErrorXml } from "./awsQuery.ts"
import { sqsQueryErrorCode } from "./sqsErrors.ts"

const contentTypes: Record<Protocol, string> = {
  awsJson1_1: "application/x-amz-json-1.1",
  restJson1: "application/json",
  awsJson1_0: "application/x-amz-json-1.0",
  awsQuery: "text/xml",
}

const sendText = (
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void => {
  res.writeHead(status, { "content-length": Buffer.byteLength(text), ...headers })
  res.end(text)
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
): void => {
  // awsQuery services answer in XML, rendered by the service module.
  if (protocol === "awsQuery" && typeof body === "string") {
    sendText(res, status, body, { "content-type": contentTypes.awsQuery, "x-amzn-requestid": requestId })
    return
  }
  sendJson(res, status, body, { "x-amzn-requestid": requestId }, contentTypes[protocol])
}

/**
 * An error in the protocol's own shape: awsJson puts the code in the body's `__type`, restJson in the
 * `x-amzn-ErrorType` header; Pinpoint's bodies use `Message`/`RequestID`, the IoT ones `message`.
 * SQS (awsJson1_0, query-compatible) adds the legacy query code in `x-amzn-query-error`
 * (`Code;Sender`), which the SDK reads; SNS (awsQuery) answers an XML `ErrorResponse`.
 */
export const sendError = (
  res: ServerResponse,
  protocol: Protocol,
  service: ServiceName | undefined,
  requestId: string,
  error: ServiceError,
): void => {
  if (protocol === "awsQuery") {
    sendText(res, error.status, queryErrorXml(error, requestId), {
      "content-type": contentTypes.awsQuery,
      "x-amzn-requestid": requestId,
    })
    return
  }
  if (protocol === "awsJson1_0") {
    const queryCode = sqsQueryErrorCode(error.code)
    sendJson(
      res,
      error.status,
      { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
      {
        "x-amzn-requestid": requestId,
        "x-amzn-query-error": `${queryCode};${error.status >= 500 ? "Receiver" : "Sender"}`,
      },
      contentTypes.awsJson1_0,
    )
    return
  }
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
