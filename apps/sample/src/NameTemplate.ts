/**
 * Destination names in the config file are constants or templates over the event, e.g. a Pinpoint
 * endpoint `{subject}` or a channel `telemetry_{extensions.site}`; a template becomes the adapter's
 * per-event function (core `PerEvent`).
 */
import type { Event } from "@eventport/core"

const placeholder = /\{([^{}]*)\}/g

const fieldOf = (event: Event, name: string): string => {
  switch (name) {
    case "id":
      return event.id
    case "type":
      return event.type
    case "source":
      return event.source
    case "subject":
      return event.subject ?? ""
    default: {
      // The config schema only lets `extensions.<name>` through besides the fields above.
      const value = event.extensions?.[name.slice("extensions.".length)]
      return value === undefined ? "" : String(value)
    }
  }
}

/** A constant when the text has no placeholder, else a function of the event. */
export const compileNameTemplate = (template: string): string | ((event: Event) => string) => {
  if (!/\{[^{}]*\}/.test(template)) return template
  return (event) => template.replace(placeholder, (_, name: string) => fieldOf(event, name))
}
