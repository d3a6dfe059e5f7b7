import { DeploysloError } from "../core/primitives/error-codes.js";

/** A STORE_UNAVAILABLE error saying what failed, where, and the driver's reason. */
export function storeUnavailable(what: string, error: unknown): DeploysloError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DeploysloError("STORE_UNAVAILABLE", `${what}: ${reason}`);
}

/** The `code` property of a driver or system error, when it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
