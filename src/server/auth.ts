import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { ApiToken, Role } from "./server-config.js";

/** What each role may do: ingest and approve are separate duties; admin does everything. */
const PERMITS: Readonly<Record<Role, readonly Role[]>> = {
  read: ["read"],
  ingest: ["read", "ingest"],
  approve: ["read", "approve"],
  admin: ["read", "ingest", "approve", "admin"],
};

/** Who made a request when the server has no tokens (loopback only). */
export const ANONYMOUS = "anonymous";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Returns a check that a request carries a token whose role permits `needed` (PERMITS), and
 * answers the token's name, for the audit log. With no tokens configured every request passes
 * as ANONYMOUS: the server then listens on loopback only (see checkExposure).
 */
export function authorizer(tokens: readonly ApiToken[]) {
  const known = tokens.map((token) => ({ ...token, digest: digest(token.token) }));
  return function authorize(request: FastifyRequest, needed: Role): string {
    if (known.length === 0) return ANONYMOUS;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined)
      throw new DeploysloError("UNAUTHORIZED", "send Authorization: Bearer <token>");
    const presented = digest(match[1]);
    // Compare digests in constant time so response timing does not reveal a token's prefix.
    const token = known.find((candidate) => timingSafeEqual(candidate.digest, presented));
    if (token === undefined) throw new DeploysloError("UNAUTHORIZED", "unknown API token");
    if (!PERMITS[token.role].includes(needed)) {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${token.name}" has role ${token.role}; this request needs ${needed}`,
      );
    }
    return token.name;
  };
}
export type Authorize = ReturnType<typeof authorizer>;
