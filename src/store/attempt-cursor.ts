import { StoreError } from "./store-error.js";

/** Where a page of attempts ended: the (startedAt, id) of its last attempt. */
export interface AttemptCursor {
  readonly startedAt: number;
  readonly id: string;
}

export function encodeAttemptCursor(cursor: AttemptCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.id])).toString("base64url");
}

/** Reads a cursor from encodeAttemptCursor; anything else is a StoreError. */
export function decodeAttemptCursor(text: string): AttemptCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === 2) {
    const [startedAt, id] = value;
    if (Number.isSafeInteger(startedAt) && typeof id === "string") {
      return { startedAt, id };
    }
  }
  throw new StoreError(
    "invalid-argument",
    "cursor",
    "cursor is not valid: pass the nextCursor of a previous page unchanged",
  );
}
