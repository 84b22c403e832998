import type { IncomingHttpHeaders } from "node:http"

/**
 * DNS rebinding defence. The emulator listens on loopback only, but a web page on this machine can
 * still reach it under a name of its own that resolves to 127.0.0.1; the browser then sends that
 * name as `Host`. Requests must name a loopback host (or one the user allowed), and admin requests
 * (which reset the emulator and read stored payloads) must not come from a page at all: browsers
 * send `Origin` on cross-origin and non-GET requests, SDKs and CLIs never do.
 */

/** `localhost`, `*.localhost` (RFC 6761 reserves them for loopback), 127.0.0.0/8 and ::1. */
const isLoopbackName = (name: string): boolean =>
  name === "localhost" ||
  name.endsWith(".localhost") ||
  /^127(?:\.\d{1,3}){3}$/.test(name) ||
  name === "::1" ||
  /^::ffff:127(?:\.\d{1,3}){3}$/.test(name)

/** The host name of a `Host` (or HTTP/2 `:authority`) value, without port or IPv6 brackets. */
export const hostNameOf = (host: string): string => {
  const value = host.trim().toLowerCase()
  if (value.startsWith("[")) {
    const end = value.indexOf("]")
    return end === -1 ? value : value.slice(1, end)
  }
  const colon = value.lastIndexOf(":")
  return colon === -1 ? value : value.slice(0, colon)
}

/** The `Host` a request names: the HTTP/1.1 header, or the `:authority` pseudo-header over HTTP/2. */
export const requestHostOf = (headers: IncomingHttpHeaders): string | undefined => {
  const host = headers.host ?? headers[":authority"]
  return typeof host === "string" && host !== "" ? host : undefined
}

/** Undefined when the request may go on; otherwise why it is refused (answered with 403). */
export const hostRefusal = (
  headers: IncomingHttpHeaders,
  allowedHosts: ReadonlySet<string>,
): string | undefined => {
  const host = requestHostOf(headers)
  if (host === undefined) return "The request names no Host."
  const name = hostNameOf(host)
  if (isLoopbackName(name) || allowedHosts.has(name)) return undefined
  return `Host '${name.slice(0, 100)}' is not a loopback name; add it to the emulator's allowedHosts to accept it.`
}

/** Admin routes refuse anything a browser page sent. */
export const adminOriginRefusal = (headers: IncomingHttpHeaders): string | undefined =>
  headers.origin === undefined
    ? undefined
    : "Admin routes refuse requests that carry an Origin header (browser pages)."
