/**
 * Declarative routes from the config file, turned into the publisher's per-destination predicates.
 */
import type { Event } from "@eventport/core"
import type { RouteSpec } from "./SampleConfig.ts"

const asList = (value: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> | undefined =>
  value === undefined ? undefined : typeof value === "string" ? [value] : value

/** A predicate that holds when every condition of the route holds (no conditions: every event). */
export const routePredicate = (route: RouteSpec): ((event: Event) => boolean) => {
  const conditions: Array<(event: Event) => boolean> = []
  const types = asList(route.type)
  if (types) conditions.push((e) => types.includes(e.type))
  const typePrefixes = asList(route.typePrefix)
  if (typePrefixes) conditions.push((e) => typePrefixes.some((p) => e.type.startsWith(p)))
  const sources = asList(route.source)
  if (sources) conditions.push((e) => sources.includes(e.source))
  const sourcePrefixes = asList(route.sourcePrefix)
  if (sourcePrefixes) conditions.push((e) => sourcePrefixes.some((p) => e.source.startsWith(p)))
  const subjectPrefixes = asList(route.subjectPrefix)
  if (subjectPrefixes)
    conditions.push((e) => e.subject !== undefined && subjectPrefixes.some((p) => e.subject!.startsWith(p)))
  return (event) => conditions.every((holds) => holds(event))
}

/** `typePrefix device.telemetry.` — for the header's destination list. */
export const describeRoute = (route: RouteSpec | undefined): string => {
  if (route === undefined) return "every event"
  const parts = Object.entries(route).map(
    ([key, value]) =>
      `${key} ${(typeof value === "string" ? [value] : (value as ReadonlyArray<string>)).join(" | ")}`,
  )
  return parts.length === 0 ? "every event" : parts.join(" and ")
}
