import { DeploysloError } from "../core/primitives/error-codes.js";

/** Parses JSON this store wrote; anything else found in a row is a bug or tampering. */
export function parseStoredJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeploysloError("INTERNAL", `${what} holds invalid JSON: ${reason}`);
  }
}
