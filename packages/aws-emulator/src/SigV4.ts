import { createHash, timingSafeEqual } from "node:crypto"
import { Sha256 } from "@aws-crypto/sha256-js"
import { SignatureV4 } from "@smithy/signature-v4"
import type { ServiceError } from "./Service.ts"

export interface EmulatorCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** Test-only credentials the emulator accepts unless told otherwise. They open nothing real. */
export const defaultCredentials: EmulatorCredentials = {
  accessKeyId: "AKIDEVENTPORTTEST",
  secretAccessKey: "eventport-emulator-test-secret",
}

/** What a signed request carries, as received. `path` is the raw (still percent-encoded) path. */
export interface ReceivedRequest {
  readonly method: string
  readonly hostname: string
  readonly path: string
  readonly query: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Uint8Array
}

export interface SignatureScope {
  readonly accessKeyId: string
  readonly date: string
  readonly region: string
  readonly service: string
}

export type SignatureCheck =
  | { readonly ok: true; readonly scope: SignatureScope }
  | { readonly ok: false; readonly error: ServiceError }

interface ParsedAuthorization {
  readonly scope: SignatureScope
  readonly signedHeaders: readonly string[]
  readonly signature: string
}

const missingToken: ServiceError = {
  code: "MissingAuthenticationTokenException",
  status: 403,
  message: "Missing Authentication Token",
}

const incomplete = (message: string): ServiceError => ({
  code: "IncompleteSignatureException",
  status: 400,
  message,
})

const invalidSignature = (message: string): ServiceError => ({
  code: "InvalidSignatureException",
  status: 403,
  message,
})

const signatureMismatch = invalidSignature(
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
)

const headerValue = (headers: ReceivedRequest["headers"], name: string): string | undefined => {
  const value = headers[name]
  return Array.isArray(value) ? value.join(",") : value
}

/** Reads `Credential=…/date/region/service/aws4_request, SignedHeaders=…, Signature=…`. */
export const parseAuthorization = (header: string): ParsedAuthorization | ServiceError => {
  const algorithm = "AWS4-HMAC-SHA256 "
  if (!header.startsWith(algorithm)) {
    return incomplete(
      `Authorization header requires 'AWS4-HMAC-SHA256' algorithm. Authorization=${header.split(" ")[0]}`,
    )
  }
  const fields = new Map<string, string>()
  for (const part of header.slice(algorithm.length).split(",")) {
    const eq = part.indexOf("=")
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const credential = fields.get("Credential")
  const signedHeaders = fields.get("SignedHeaders")
  const signature = fields.get("Signature")
  const missing = [
    credential === undefined ? "Credential" : undefined,
    signedHeaders === undefined ? "SignedHeaders" : undefined,
    signature === undefined ? "Signature" : undefined,
  ].filter((name) => name !== undefined)
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return incomplete(`Authorization header requires ${missing.map((m) => `'${m}'`).join(", ")} parameter.`)
  }
  const parts = credential.split("/")
  const [accessKeyId, date, region, service, terminator] = parts
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== "aws4_request"
  ) {
    return incomplete(
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.",
    )
  }
  return {
    scope: { accessKeyId, date, region, service },
    signedHeaders: signedHeaders.split(";").filter((name) => name.length > 0),
    signature,
  }
}

const isServiceError = (value: ParsedAuthorization | ServiceError): value is ServiceError => "code" in value

const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

const parseAmzDate = (value: string): Date | undefined => {
  const m = amzDatePattern.exec(value)
  if (m === null) return undefined
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
  return Number.isNaN(date.getTime()) ? undefined : date
}

export interface SignatureVerifierOptions {
  /** How far x-amz-date may be from the emulator's clock; AWS allows 15 minutes. */
  readonly maxClockSkewMs?: number
}

/**
 * Verifies SigV4 Authorization headers by re-signing the received request with the AWS signing
 * library (same date, scope and signed headers) and comparing signatures.
 */
export class SignatureVerifier {
  readonly #signers: ReadonlyMap<string, SignatureV4>
  readonly #maxClockSkewMs: number

  constructor(credentials: readonly EmulatorCredentials[], options: SignatureVerifierOptions = {}) {
    this.#signers = new Map(
      credentials.map((c) => [
        c.accessKeyId,
        new SignatureV4({
          credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
          region: "us-east-1",
          service: "events",
          sha256: Sha256,
          // Only the headers the client signed take part; the signer must not add its own.
          applyChecksum: false,
          uriEscapePath: true,
        }),
      ]),
    )
    this.#maxClockSkewMs = options.maxClockSkewMs ?? 15 * 60 * 1000
  }

  /** The credential scope, if the request carries a well-formed Authorization header; no verification. */
  static scopeOf(headers: ReceivedRequest["headers"]): SignatureScope | undefined {
    const authorization = headerValue(headers, "authorization")
    if (authorization === undefined) return undefined
    const parsed = parseAuthorization(authorization)
    return isServiceError(parsed) ? undefined : parsed.scope
  }

  async verify(request: ReceivedRequest, expectedService: string, now = new Date()): Promise<SignatureCheck> {
    const authorization = headerValue(request.headers, "authorization")
    if (authorization === undefined || authorization === "") return { ok: false, error: missingToken }
    const parsed = parseAuthorization(authorization)
    if (isServiceError(parsed)) return { ok: false, error: parsed }
    const { scope } = parsed
    const amzDate = headerValue(request.headers, "x-amz-date")
    if (amzDate === undefined) {
      return {
        ok: false,
        error: incomplete(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ),
      }
    }
    const signingDate = parseAmzDate(amzDate)
    if (signingDate === undefined)
      return { ok: false, error: incomplete(`Date must be in ISO-8601 'basic format'.`) }
    const signer = this.#signers.get(scope.accessKeyId)
    if (signer === undefined) {
      return {
        ok: false,
        error: {
          code: "UnrecognizedClientException",
          status: 403,
          message: "The security token included in the request is invalid.",
        },
      }
    }
    if (scope.service !== expectedService) {
      return {
        ok: false,
        error: invalidSignature(`Credential should be scoped to correct service: '${expectedService}'. `),
      }
    }
    if (!amzDate.startsWith(scope.date)) {
      return {
        ok: false,
        error: invalidSignature(
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
        ),
      }
    }
    if (Math.abs(now.getTime() - signingDate.getTime()) > this.#maxClockSkewMs) {
      return {
        ok: false,
        error: invalidSignature(`Signature expired: ${amzDate} is outside the allowed clock skew.`),
      }
    }
    if (!/^[0-9a-f]{64}$/.test(parsed.signature)) return { ok: false, error: signatureMismatch }
    // The signer trusts x-amz-content-sha256 as the payload hash, so the body is checked against it here.
    const contentSha256 = headerValue(request.headers, "x-amz-content-sha256")
    if (
      contentSha256 !== undefined &&
      contentSha256 !== "UNSIGNED-PAYLOAD" &&
      contentSha256 !== createHash("sha256").update(request.body).digest("hex")
    ) {
      return { ok: false, error: signatureMismatch }
    }
    const headers: Record<string, string> = {}
    for (const name of parsed.signedHeaders) {
      const value = headerValue(request.headers, name)
      if (value !== undefined) headers[name] = value
    }
    const query: Record<string, string | string[]> = {}
    for (const [key, value] of new URLSearchParams(request.query)) {
      const existing = query[key]
      query[key] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: "http:",
        hostname: request.hostname,
        path: request.path,
        query,
        headers,
        body: request.body,
      },
      {
        signingDate,
        signingRegion: scope.region,
        signingService: scope.service,
        signableHeaders: new Set(parsed.signedHeaders),
      },
    )
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ""))?.[1]
    if (expected === undefined || !timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.signature))) {
      return { ok: false, error: signatureMismatch }
    }
    return { ok: true, scope }
  }
}
