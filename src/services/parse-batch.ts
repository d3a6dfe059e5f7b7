import { DeploysloError, type ErrorCode } from "../core/error-codes.js";

/** A value of a request body with where it came from (`[3]`, `line 17`, `body`), for messages. */
export interface LocatedValue {
  readonly where: string;
  readonly value: unknown;
}

/** The most records or events one request may hold. */
export const MAX_RECORDS_PER_REQUEST = 10_000;
const MAX_PROBLEMS = 100;

/**
 * Parses every value of a request body with `parse`, all or nothing: any problem rejects the
 * whole batch with `code`, listing up to 100 problems as `where: problem`, so a rejected
 * request stores nothing.
 */
export function parseBatch<T>(
  values: readonly LocatedValue[],
  parse: (value: unknown) => { ok: true; item: T } | { ok: false; problems: readonly string[] },
  noun: { one: string; many: string },
  code: ErrorCode,
): T[] {
  if (values.length === 0) throw new DeploysloError(code, `the request holds no ${noun.one}`);
  if (values.length > MAX_RECORDS_PER_REQUEST) {
    throw new DeploysloError(
      "PAYLOAD_TOO_LARGE",
      `a request may hold at most ${MAX_RECORDS_PER_REQUEST} ${noun.many}, got ${values.length}: split it`,
    );
  }
  const items: T[] = [];
  const problems: string[] = [];
  for (const { where, value } of values) {
    const parsed = parse(value);
    if (parsed.ok) items.push(parsed.item);
    else {
      for (const problem of parsed.problems) {
        if (problems.length < MAX_PROBLEMS) problems.push(`${where}: ${problem}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new DeploysloError(
      code,
      `${values.length - items.length} of ${values.length} ${noun.many} invalid; nothing was stored`,
      problems,
    );
  }
  return items;
}
