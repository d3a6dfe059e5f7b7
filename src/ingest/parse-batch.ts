import { DeploysloError, type ErrorCode } from "../core/primitives/error-codes.js";

/** A value of a request body with where it came from (`[3]`, `line 17`, `body`), for messages. */
export interface LocatedValue {
  readonly where: string;
  readonly value: unknown;
}

/** The result of parsing one value of a batch. */
export type ItemParse<T> = { ok: true; item: T } | { ok: false; problems: readonly string[] };

/** The values of a JSON body, named by where they were: `[i]` in an array, else `body`. */
export function locateJsonValues(body: unknown): LocatedValue[] {
  if (Array.isArray(body)) return body.map((value, i) => ({ where: `[${i}]`, value }));
  if (body === undefined || body === null) return [];
  return [{ where: "body", value: body }];
}

/** The most records or events one request may hold. */
export const MAX_RECORDS_PER_REQUEST = 10_000;
const MAX_PROBLEMS = 100;

/**
 * Collects the parsed items of one request body, all or nothing: `done` throws `code` when any
 * value was invalid, listing up to 100 problems as `where: problem`, so a rejected request
 * stores nothing. Values are added one at a time, so a caller can parse and drop each value
 * before reading the next.
 */
export class BatchCollector<T> {
  readonly #items: T[] = [];
  readonly #problems: string[] = [];
  #count = 0;
  #invalid = 0;

  constructor(
    readonly noun: { readonly one: string; readonly many: string },
    readonly code: ErrorCode,
  ) {}

  /** Adds one value's parse; `where` names the value, and is called only for a problem. */
  add(parsed: ItemParse<T>, where: () => string): void {
    this.#count++;
    if (this.#count > MAX_RECORDS_PER_REQUEST) {
      throw new DeploysloError(
        "PAYLOAD_TOO_LARGE",
        `a request may hold at most ${MAX_RECORDS_PER_REQUEST} ${this.noun.many}: split it`,
      );
    }
    if (parsed.ok) {
      // Once one value is invalid nothing will be stored: stop keeping items.
      if (this.#invalid === 0) this.#items.push(parsed.item);
      return;
    }
    this.#invalid++;
    this.#items.length = 0;
    for (const problem of parsed.problems) {
      if (this.#problems.length < MAX_PROBLEMS) this.#problems.push(`${where()}: ${problem}`);
    }
  }

  /** The items, when every value was valid and there was at least one. */
  done(): T[] {
    if (this.#count === 0) {
      throw new DeploysloError(this.code, `the request holds no ${this.noun.one}`);
    }
    if (this.#invalid > 0) {
      throw new DeploysloError(
        this.code,
        `${this.#invalid} of ${this.#count} ${this.noun.many} invalid; nothing was stored`,
        this.#problems,
      );
    }
    return this.#items;
  }
}

/** Parses every value of a request body with `parse`, all or nothing (BatchCollector). */
export function parseBatch<T>(
  values: readonly LocatedValue[],
  parse: (value: unknown) => ItemParse<T>,
  noun: { one: string; many: string },
  code: ErrorCode,
): T[] {
  if (values.length > MAX_RECORDS_PER_REQUEST) {
    throw new DeploysloError(
      "PAYLOAD_TOO_LARGE",
      `a request may hold at most ${MAX_RECORDS_PER_REQUEST} ${noun.many}, got ${values.length}: split it`,
    );
  }
  const batch = new BatchCollector<T>(noun, code);
  for (const { where, value } of values) batch.add(parse(value), () => where);
  return batch.done();
}
