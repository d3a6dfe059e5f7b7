import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { ApiToken, Role } from "./server-config.js";

const RANK: Record<Role, number> = { read: 0, ingest: 1, admin: 2 };

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Returns a check that a request carries a token of at least `needed` rank
 * (read < ingest < admin). With no tokens configured every request passes: the server then
 * listens on loopback only (see checkExposure).
 */
export function authorizer(tokens: readonly ApiToken[]) {
  const known = tokens.map((token) => ({ ...token, digest: digest(token.token) }));
  return function authorize(request: FastifyRequest, needed: Role): void {
    if (known.length === 0) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined)
      throw new DeploysloError("UNAUTHORIZED", "send Authorization: Bearer <token>");
    const presented = digest(match[1]);
    // Compare digests in constant time so response timing does not reveal a token's prefix.
    const token = known.find((candidate) => timingSafeEqual(candidate.digest, presented));
    if (token === undefined) throw new DeploysloError("UNAUTHORIZED", "unknown API token");
    if (RANK[token.role] < RANK[needed]) {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${token.name}" has role ${token.role}; this request needs ${needed}`,
      );
    }
  };
}
export type Authorize = ReturnType<typeof authorizer>;
