/**
 * The awsQuery protocol (SNS): a form-encoded request naming `Action` and `Version`, lists as
 * `Name.member.N`, maps as `Name.entry.N.Name`/`Name.entry.N.Value`, and XML answers.
 */
import type { ServiceError } from "../Service.ts"

export const snsXmlNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"

/** The form's fields, in order; `undefined` when the body is not a form. */
export const parseForm = (body: Buffer): Map<string, string> | undefined => {
  try {
    return new Map(new URLSearchParams(body.toString("utf8")))
  } catch {
    return undefined
  }
}

/** The 1-based `prefix.member.N` indexes present in the form, in numeric order. */
export const memberIndexes = (form: ReadonlyMap<string, string>, prefix: string): number[] => {
  const indexes = new Set<number>()
  const start = `${prefix}.`
  for (const key of form.keys()) {
    if (!key.startsWith(start)) continue
    const index = Number.parseInt(key.slice(start.length), 10)
    if (Number.isInteger(index)) indexes.add(index)
  }
  return [...indexes].sort((a, b) => a - b)
}

/** Text and attribute values escaped for XML. Carriage returns are escaped so the parser keeps them. */
export const xmlText = (value: string): string =>
  value.replace(/[&<>"'\r]/g, (c) =>
    c === "&"
      ? "&amp;"
      : c === "<"
        ? "&lt;"
        : c === ">"
          ? "&gt;"
          : c === '"'
            ? "&quot;"
            : c === "'"
              ? "&apos;"
              : "&#13;",
  )

/** `<name>value</name>`, or nothing when the value is absent. */
export const xmlElement = (name: string, value: string | boolean | undefined): string =>
  value === undefined ? "" : `<${name}>${xmlText(String(value))}</${name}>`

/** An awsQuery error: `Sender` for 4xx, `Receiver` for 5xx, as the services report them. */
export const queryErrorXml = (error: ServiceError, requestId: string): string =>
  `<?xml version="1.0"?><ErrorResponse xmlns="${snsXmlNamespace}"><Error>` +
  xmlElement("Type", error.status >= 500 ? "Receiver" : "Sender") +
  xmlElement("Code", error.code) +
  xmlElement("Message", error.message) +
  `</Error>${xmlElement("RequestId", requestId)}</ErrorResponse>`
