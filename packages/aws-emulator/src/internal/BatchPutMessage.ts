/**
 * What IoT Events Data and IoT Analytics BatchPutMessage share: the request checks before any message
 * is looked at, and the reply listing the failed messages by messageId. The reply's list member is
 * cased differently by the two models, so the caller names it.
 */
import type { ServiceTraits } from "../Service.ts"
import { describeViolations, type ModelValidator } from "./modelValidation.ts"
import {
  type BatchItem,
  duplicateIds,
  isRecord,
  type Prepared,
  parseJsonBody,
  type Refused,
  requestError,
  type ServiceRequest,
} from "./ServiceHandler.ts"

export type Message = Readonly<Record<string, unknown>>

export type CheckedRequest =
  | { readonly ok: true; readonly input: Message; readonly messages: readonly Message[] }
  | Refused

/** Parses and validates the body, then the documented batch rules the model lacks (count, unique messageId). */
export const checkBatchPutMessage = (
  traits: ServiceTraits,
  validator: ModelValidator,
  request: ServiceRequest,
  maxMessages: number,
): CheckedRequest => {
  const input = parseJsonBody(request.body)
  if (!isRecord(input)) return requestError(traits, "Could not parse the request body as JSON.")
  const violations = validator.validate("BatchPutMessageRequest", input)
  if (violations.length > 0) return requestError(traits, describeViolations(violations))
  const messages = input.messages as Message[]
  if (messages.length > maxMessages)
    return requestError(
      traits,
      `A batch can contain at most ${maxMessages} messages; got ${messages.length}.`,
    )
  const duplicates = duplicateIds(messages.map((m) => m.messageId as string))
  if (duplicates.length > 0)
    return requestError(traits, `messageId must be unique within a batch; repeated: ${duplicates.join(", ")}`)
  return { ok: true, input, messages }
}

/** The batch whose 200 reply lists each failed message under `errorEntriesMember`. */
export const batchPutMessageBatch = <E>(
  items: readonly BatchItem<E>[],
  errorEntriesMember: "BatchPutMessageErrorEntries" | "batchPutMessageErrorEntries",
): Prepared<E> => ({
  ok: true,
  batch: {
    items,
    render(failures) {
      const errorEntries = items.flatMap((item, i) => {
        const failure = failures[i]
        return failure === undefined
          ? []
          : [{ messageId: item.view.id, errorCode: failure.code, errorMessage: failure.message }]
      })
      return { status: 200, body: { [errorEntriesMember]: errorEntries } }
    },
  },
})
