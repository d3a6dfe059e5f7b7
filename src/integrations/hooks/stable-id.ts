import { createHash } from "node:crypto";

/**
 * A short id derived from the parts that identify a delivery, so a redelivery maps to the
 * same event ids (and is stored once). Parts are joined with a separator no name contains.
 */
export function stableId(
  prefix: string,
  ...parts: readonly (string | number | undefined)[]
): string {
  const hash = createHash("sha256")
    .update(parts.map((part) => (part === undefined ? "" : String(part))).join("\u0000"))
    .digest("base64url")
    .slice(0, 22);
  return `${prefix}-${hash}`;
}
