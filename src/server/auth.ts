import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { RateLimiter } from "./rate-limiter.js";
import type { ApiToken, Role } from "./server-config.js";
import type { TokenScope } from "./token-scope.js";

const RANK: Record<Role, number> = { read: 0, ingest: 1, admin: 2 };

interface KnownToken extends ApiToken {
  readonly digest: Buffer;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Whether a route reads or writes only attempts a scoped token's scope can filter. */
export type ScopeUse = "scoped" | "unscoped";

/** What a route learns from authorize: the token's scope, or undefined for everything. */
export type Grant = { readonly scope: TokenScope | undefined };

const EVERYTHING: Grant = Object.freeze({ scope: undefined });

/**
 * Bearer-token authentication and authorization. `authenticate` runs when a request arrives,
 * before its body is read, so a request without a valid token costs no parsing; it also
 * applies the token's rate limit. Routes then call `authorize` for the role they need. With
 * no tokens configured every request passes: the server then listens on loopback only
 * (see checkExposure). `replace` swaps the tokens (SIGHUP) without a restart.
 */
export interface Authorize {
  (request: FastifyRequest, needed: Role, use?: ScopeUse): Grant;
  authenticate(request: FastifyRequest, reply: FastifyReply): void;
  replace(tokens: readonly ApiToken[]): void;
}

/** Paths that need no token: health checks, the dashboard's files and the API description. */
function isPublic(url: string): boolean {
  return !(url.startsWith("/api/v1/") || url === "/api/v1" || url.startsWith("/metrics"));
}

export function authorizer(tokens: readonly ApiToken[], now: () => number = Date.now): Authorize {
  let known: readonly KnownToken[] = [];
  // A server started without tokens stays open (on loopback); one started with tokens never
  // becomes open by a rotation that lists none.
  const open = tokens.length === 0;
  const byRequest = new WeakMap<FastifyRequest, KnownToken>();
  const limiter = new RateLimiter(now);

  function identify(request: FastifyRequest): KnownToken {
    const cached = byRequest.get(request);
    if (cached !== undefined) return cached;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined)
      throw new DeploysloError("UNAUTHORIZED", "send Authorization: Bearer <token>");
    const presented = digest(match[1]);
    // Compare digests in constant time so response timing does not reveal a token's prefix.
    const token = known.find((candidate) => timingSafeEqual(candidate.digest, presented));
    if (token === undefined) throw new DeploysloError("UNAUTHORIZED", "unknown API token");
    byRequest.set(request, token);
    return token;
  }

  const authorize = (request: FastifyRequest, needed: Role, use: ScopeUse = "unscoped") => {
    if (open) return EVERYTHING;
    const token = identify(request);
    if (RANK[token.role] < RANK[needed]) {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${token.name}" has role ${token.role}; this request needs ${needed}`,
      );
    }
    if (token.scope !== undefined && use === "unscoped") {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${token.name}" is scoped; this request reads data of every model and needs an unscoped token`,
      );
    }
    return token.scope === undefined ? EVERYTHING : { scope: token.scope };
  };

  const result = Object.assign(authorize, {
    authenticate(request: FastifyRequest, reply: FastifyReply): void {
      if (open || isPublic(request.url)) return;
      const token = identify(request);
      if (token.rateLimit === undefined) return;
      const wait = limiter.take(token.name, token.rateLimit);
      if (wait > 0) {
        reply.header("retry-after", String(wait));
        throw new DeploysloError(
          "RATE_LIMITED",
          `token "${token.name}" may send ${token.rateLimit.perSecond} requests per second; retry in ${wait} s`,
        );
      }
    },
    replace(next: readonly ApiToken[]): void {
      if (next.length === 0 && !open) {
        throw new DeploysloError("USAGE", "the new token list is empty: kept the previous tokens");
      }
      known = next.map((token) => ({ ...token, digest: digest(token.token) }));
    },
  });
  result.replace(tokens);
  return result;
}
