/**
 * fast-check arbitraries and builders for what user code hands the engine that throws or lies when
 * read: throwing getters, proxies (throwing traps, revoked), hostile `toJSON`, shared references,
 * and iterables that throw part-way.
 *
 * A hostile value cannot be a fast-check value itself (fast-check reads what it generates, to clone
 * and to print it), so the arbitraries draw {@link Hostile} recipes: `make()` builds a fresh hostile
 * value each call, and the recipe prints as its description in a counterexample.
 */
import type { EventInput, JsonValue } from "@eventport/core"
import fc from "fast-check"
import { arbEventInput } from "./Arbitraries.ts"

/** What hostile members throw: an Error whose message says where it came from. */
export class HostileMemberError extends Error {
  override readonly name = "HostileMemberError"
}

const boom = (what: string) => {
  throw new HostileMemberError(`${what} threw on purpose`)
}

/** An object with an enumerable getter `value` that throws. */
export const throwingGetterObject = (): object =>
  Object.defineProperty({}, "value", { enumerable: true, get: () => boom("the getter value") })

/** An array whose element 0 is a getter that throws. */
export const throwingGetterArray = (): Array<unknown> =>
  Object.defineProperty([], 0, {
    enumerable: true,
    configurable: true,
    get: () => boom("the element getter"),
  })

/** A proxy whose every trap that reads (get, has, ownKeys, getPrototypeOf, descriptors) throws. */
export const throwingProxy = (): object =>
  new Proxy(
    {},
    {
      get: () => boom("the proxy's get trap"),
      has: () => boom("the proxy's has trap"),
      ownKeys: () => boom("the proxy's ownKeys trap"),
      getPrototypeOf: () => boom("the proxy's getPrototypeOf trap"),
      getOwnPropertyDescriptor: () => boom("the proxy's getOwnPropertyDescriptor trap"),
    },
  )

/** A revoked proxy: any operation on it throws a TypeError. */
export const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({ value: 1 }, {})
  revoke()
  return proxy
}

/** An object whose `toJSON` throws: JSON.stringify of anything holding it throws. */
export const hostileToJsonObject = (): object => ({ toJSON: () => boom("toJSON") })

/** The kinds of hostile member, each a fresh value per call. */
export const hostileMembers = {
  throwingGetterObject,
  throwingGetterArray,
  throwingProxy,
  revokedProxy,
  hostileToJsonObject,
} as const

export type HostileMemberKind = keyof typeof hostileMembers

/** A recipe for a hostile value: `make()` builds a fresh one; prints as `description`. */
export interface Hostile<A = unknown> {
  readonly description: string
  readonly make: () => A
}

/** Attaches how fast-check prints a value in a counterexample. */
const printedAs = <T extends object>(value: T, text: () => string): T =>
  Object.assign(value, { [fc.toStringMethod]: text })

const hostile = <A>(description: string, make: () => A): Hostile<A> =>
  printedAs({ description, make }, () => `Hostile(${description})`)

/** One hostile member: a throwing getter (object or array), a throwing or revoked proxy, a throwing `toJSON`. */
export const arbHostileMember: fc.Arbitrary<Hostile> = fc
  .constantFrom(...(Object.keys(hostileMembers) as Array<HostileMemberKind>))
  .map((kind) => hostile(kind, hostileMembers[kind]))

const arbJson = (maxDepth: number) => fc.jsonValue({ maxDepth }) as fc.Arbitrary<JsonValue>

/** A path of object keys and array indexes down to where a member goes. */
const arbPath = fc.array(fc.oneof(fc.constantFrom("a", "items", "__proto__x"), fc.nat({ max: 3 })), {
  maxLength: 6,
})

/** `member` placed at `path` inside fresh JSON containers, with JSON siblings around it. */
const placeAt = (path: ReadonlyArray<string | number>, member: unknown, sibling: JsonValue): unknown => {
  let value = member
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i]!
    if (typeof step === "number") {
      const list: Array<unknown> = Array.from({ length: step }, () => sibling)
      list.push(value)
      value = list
    } else value = { sibling, [step]: value }
  }
  return value
}

const eventFields = [
  "id",
  "type",
  "source",
  "time",
  "subject",
  "data",
  "dataContentType",
  "extensions",
] as const

/** A recipe for a hostile input; `make(id)` gives it that id unless the id is the hostile member. */
export interface HostileInput {
  readonly description: string
  readonly make: (id?: string) => unknown
}

const hostileInput = (description: string, make: (id?: string) => unknown): HostileInput =>
  printedAs({ description, make }, () => `HostileInput(${description})`)

const withId = (input: EventInput, id: string | undefined): EventInput =>
  id === undefined ? input : { ...input, id }

const describePath = (path: ReadonlyArray<string | number>) =>
  `data${path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("")}`

/**
 * An {@link EventInput}-like object with exactly one hostile member at a random position: a field
 * whose getter throws, a throwing or revoked proxy as a field's value, a hostile member anywhere
 * inside `data` (at any depth, among JSON siblings), or the whole input a throwing or revoked proxy.
 * `validateEvent` must reject each, and the engine give it one non-Delivered outcome per destination.
 */
export const arbHostileMemberInput: fc.Arbitrary<HostileInput> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(arbEventInput, arbPath, arbHostileMember, arbJson(1))
      .map(([input, path, member, sibling]) =>
        hostileInput(`${member.description} at ${describePath(path)}`, (id) => ({
          ...withId(input, id),
          data: placeAt(path, member.make(), sibling),
        })),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(arbEventInput, fc.constantFrom(...eventFields)).map(([input, field]) =>
      hostileInput(`a throwing getter as ${field}`, (id) => {
        const copy: Record<string, unknown> = { ...withId(input, id) }
        Object.defineProperty(copy, field, {
          enumerable: true,
          configurable: true,
          get: () => boom(`the event's ${field} getter`),
        })
        return copy
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        arbEventInput,
        fc.constantFrom(...eventFields.filter((f) => f !== "data")),
        fc.constantFrom<HostileMemberKind>("throwingProxy", "revokedProxy"),
      )
      .map(([input, field, kind]) =>
        hostileInput(`${kind} as ${field}`, (id) => ({
          ...withId(input, field === "id" ? undefined : id),
          [field]: hostileMembers[kind](),
        })),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<HostileMemberKind>("throwingProxy", "revokedProxy")
      .map((kind) => hostileInput(`${kind} as the whole input`, () => hostileMembers[kind]())),
  },
)

/**
 * Valid JSON data in which objects and arrays are shared: one value referenced from many places,
 * at any depth (past 32 levels and 256 objects too, where cheap checks give up). JSON carries each
 * reference as a copy, so this is valid event data, not a cycle.
 */
export const arbSharedReferenceData: fc.Arbitrary<JsonValue> = fc
  .tuple(arbJson(2), fc.integer({ min: 2, max: 400 }), fc.integer({ min: 0, max: 60 }))
  .map(([leaf, copies, depth]) => {
    const shared = { shared: leaf }
    let value: JsonValue = { items: Array.from({ length: copies }, (_, i) => ({ i, tag: shared })) }
    for (let i = 0; i < depth; i++) value = { level: i, inner: value, again: shared }
    return value
  })

/** A sync iterable yielding `items`, then throwing once `throwAfter` items were read (if given). */
export const throwingIterable = <T>(items: ReadonlyArray<T>, throwAfter?: number): Iterable<T> => ({
  *[Symbol.iterator]() {
    for (let i = 0; i < items.length; i++) {
      if (i === throwAfter) boom(`the iterable, after ${i} items,`)
      yield items[i]!
    }
    if (throwAfter !== undefined && throwAfter >= items.length)
      boom(`the iterable, after ${items.length} items,`)
  },
})

/**
 * An async iterable yielding `items`, then throwing once `throwAfter` items were read (if given).
 * Written as an iterator, not an async generator: a generator's `yield` awaits the value, so a
 * hostile item (a revoked proxy) would make the iterable itself throw.
 */
export const throwingAsyncIterable = <T>(items: ReadonlyArray<T>, throwAfter?: number): AsyncIterable<T> => ({
  [Symbol.asyncIterator]() {
    let i = 0
    return {
      next: async (): Promise<IteratorResult<T>> => {
        if (i === throwAfter) boom(`the async iterable, after ${i} items,`)
        if (i < items.length) return { done: false, value: items[i++]! }
        if (throwAfter !== undefined && throwAfter >= items.length)
          boom(`the async iterable, after ${items.length} items,`)
        return { done: true, value: undefined }
      },
    }
  },
})

/** The forms `publish` takes input in. */
export type PublishInputShape = "array" | "iterable" | "asyncIterable"

/** Items to publish, the form to hand them over in, and whether (and where) an iterable throws. */
export interface PublishInputSource<T> {
  readonly shape: PublishInputShape
  readonly items: ReadonlyArray<T>
  /** Iterables only: how many items are read before the iterable throws; undefined, it ends normally. */
  readonly throwAfter: number | undefined
  /** A fresh input in this form (an iterable can be read only once), of the items or of `map` applied to each. */
  readonly input: <U = T>(map?: (item: T) => U) => ReadonlyArray<U> | Iterable<U> | AsyncIterable<U>
}

/**
 * `items` handed over as an array, a sync iterable or an async iterable; an iterable sometimes
 * throws after a random number of items (`throwAfter`), so only those items are read.
 */
export const arbPublishInputSource = <T>(
  items: fc.Arbitrary<ReadonlyArray<T>>,
): fc.Arbitrary<PublishInputSource<T>> =>
  items.chain((list) =>
    fc
      .tuple(
        fc.constantFrom<PublishInputShape>("array", "iterable", "asyncIterable"),
        fc.option(fc.nat({ max: list.length }), { nil: undefined }),
      )
      .map(([shape, at]): PublishInputSource<T> => {
        const throwAfter = shape === "array" ? undefined : at
        const source: PublishInputSource<T> = {
          shape,
          items: list,
          throwAfter,
          input: <U>(map?: (item: T) => U) => {
            const mapped = (map === undefined ? list.slice() : list.map(map)) as Array<U>
            return shape === "array"
              ? mapped
              : shape === "iterable"
                ? throwingIterable(mapped, throwAfter)
                : throwingAsyncIterable(mapped, throwAfter)
          },
        }
        return printedAs(
          source,
          () =>
            `${shape} of ${fc.stringify(list)}${throwAfter === undefined ? "" : `, throwing after ${throwAfter}`}`,
        )
      }),
  )

/** One input of a mixed publish: a well-formed event input, or one with a hostile member. */
export type MixedInput =
  | { readonly hostile: false; readonly input: EventInput & { readonly id: string } }
  | { readonly hostile: true; readonly recipe: HostileInput; readonly id: string }

/** The value to hand to `publish`/`enqueue` for a mixed input (a fresh one for a hostile input). */
export const mixedInputValue = (item: MixedInput): unknown =>
  item.hostile ? item.recipe.make(item.id) : item.input

/**
 * Inputs to publish together: well-formed events (ids `mixed-<i>`) and, at random positions, inputs
 * with a hostile member (ids `hostile-<i>` where the id is readable). Each well-formed one must end
 * with one outcome per destination it routes to; each hostile one with exactly one non-Delivered
 * outcome per destination.
 */
export const arbMixedInputs = (
  options: { readonly maxLength?: number } = {},
): fc.Arbitrary<Array<MixedInput>> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: arbEventInput.map((input) => ({ hostile: false as const, input })) },
        { weight: 1, arbitrary: arbHostileMemberInput.map((recipe) => ({ hostile: true as const, recipe })) },
      ),
      { maxLength: options.maxLength ?? 30 },
    )
    .map((inputs) =>
      inputs.map(
        (item, i): MixedInput =>
          item.hostile
            ? { hostile: true, recipe: item.recipe, id: `hostile-${i}` }
            : { hostile: false, input: { ...item.input, id: `mixed-${i}` } },
      ),
    )
