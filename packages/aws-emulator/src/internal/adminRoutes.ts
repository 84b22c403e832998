import type { IncomingMessage, ServerResponse } from "node:http"
import type { Emulator } from "../Emulator.ts"
import { type Fault, validateFault } from "../Faults.ts"
import { isServiceName, type ServiceName, serviceNames } from "../Service.ts"
import { adminOriginRefusal } from "./requestOrigin.ts"

/** Admin routes drive the emulator from another process; they answer loopback clients only. */
const isLoopback = (address: string | undefined): boolean =>
  address !== undefined &&
  (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."))

/** Blobs as base64 and functions by name, so the store and fault list serialize to JSON. */
const toJsonValue = (_key: string, value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64")
  if (typeof value === "function") return "<function>"
  return value
}

const sendAdminJson = (res: ServerResponse, status: number, body: unknown): undefined => {
  const text = JSON.stringify(body, toJsonValue)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

const parseFaultList = (body: Buffer): Fault[] => {
  const parsed: unknown = JSON.parse(body.length === 0 ? "[]" : body.toString("utf8"))
  const list: unknown =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "faults" in parsed
      ? (parsed as { faults: unknown }).faults
      : parsed
  const faults = Array.isArray(list) ? list : [list]
  for (const fault of faults) validateFault(fault)
  return faults as Fault[]
}

export const handleAdminRequest = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  body: Buffer,
  emulator: Emulator,
): undefined => {
  if (!isLoopback(req.socket.remoteAddress)) {
    return sendAdminJson(res, 403, { message: "Admin routes answer loopback clients only." })
  }
  const originRefusal = adminOriginRefusal(req.headers)
  if (originRefusal !== undefined) return sendAdminJson(res, 403, { message: originRefusal })
  const params = new URLSearchParams(query)
  const serviceParam = params.get("service")
  if (serviceParam !== null && !isServiceName(serviceParam)) {
    return sendAdminJson(res, 400, { message: `service must be one of ${serviceNames.join(", ")}` })
  }
  const service = serviceParam as ServiceName | null
  const route = `${req.method} ${path.replace(/\/$/, "")}`
  switch (route) {
    case "GET /__admin/health":
      return sendAdminJson(res, 200, { ok: true, endpoint: emulator.endpoint })
    case "GET /__admin/store": {
      const target = params.get("target")
      const services = service === null ? serviceNames : [service]
      const entries = Object.fromEntries(
        services.map((s) => {
          const serviceStore = emulator.store.service(s)
          return [s, target === null ? serviceStore.entries : serviceStore.entriesFor(target)]
        }),
      )
      return sendAdminJson(res, 200, { mode: emulator.store.mode, counts: emulator.store.counts(), entries })
    }
    case "DELETE /__admin/store":
      emulator.store.clear()
      return sendAdminJson(res, 200, { ok: true })
    case "GET /__admin/requests":
      return sendAdminJson(res, 200, {
        counts: emulator.requests.counts(),
        requests: emulator.requests.list(),
      })
    case "DELETE /__admin/requests":
      emulator.requests.clear()
      return sendAdminJson(res, 200, { ok: true })
    case "GET /__admin/faults":
      return sendAdminJson(res, 200, { faults: emulator.faults.list() })
    case "POST /__admin/faults":
    case "PUT /__admin/faults":
    case "POST /__admin/faults/add": {
      let faults: Fault[]
      try {
        faults = parseFaultList(body)
      } catch (error) {
        return sendAdminJson(res, 400, { message: error instanceof Error ? error.message : "invalid faults" })
      }
      if (route === "POST /__admin/faults/add") for (const fault of faults) emulator.faults.add(fault)
      else emulator.faults.set(faults)
      return sendAdminJson(res, 200, { faults: emulator.faults.list() })
    }
    case "DELETE /__admin/faults":
      emulator.faults.clear(service ?? undefined)
      return sendAdminJson(res, 200, { faults: emulator.faults.list() })
    case "POST /__admin/reset":
      emulator.reset()
      return sendAdminJson(res, 200, { ok: true })
    default:
      return sendAdminJson(res, 404, { message: `No admin route ${route}` })
  }
}
