import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../clock/clock.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { RateLimiter } from "./rate-limiter.js";
import type { ApiToken, Role } from "./server-config.js";
import type { TokenScope } from "./token-scope.js";

/** What each role may do: ingest and approve are separate duties; admin does everything. */
const PERMITS: Readonly<Record<Role, readonly Role[]>> = {
  read: ["read"],
  ingest: ["read", "ingest"],
  approve: ["read", "approve"],
  admin: ["read", "ingest", "approve", "admin"],
};

/** Who made a request when the server has no tokens (loopback only). */
export const ANONYMOUS = "anonymous";

interface KnownToken extends ApiToken {
  readonly digest: Buffer;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Who a request is from (for the audit log) and what it may see: undefined scope, everything. */
export interface Grant {
  readonly name: string;
  readonly scope: TokenScope | undefined;
}

const EVERYTHING: Grant = Object.freeze({ name: ANONYMOUS, scope: undefined });

/**
 * Bearer-token authentication and authorization. `authenticate` runs when a request arrives,
 * before its body is read, so a request without a valid token costs no parsing; it also
 * applies the token's rate limit. A route then calls `authorize(request, role)`, which answers
 * the token's name (for the audit log) and refuses scoped tokens, or `authorize.scoped`, for
 * the routes that filter or check attempts by a token's scope. With no tokens configured every
 * request passes as ANONYMOUS: the server then listens on loopback only (see checkExposure).
 * `replace` swaps the tokens (SIGHUP) without a restart.
 */
export interface Authorize {
  (request: FastifyRequest, needed: Role): string;
  scoped(request: FastifyRequest, needed: Role): Grant;
  authenticate(request: FastifyRequest, reply: FastifyReply): void;
  replace(tokens: readonly ApiToken[]): void;
}

/**
 * Paths that need no token here: health checks, the dashboard's files and the API description,
 * and the webhook receivers, which authenticate each delivery themselves (a tool's signature
 * where it signs, else this bearer token: see the hook routes).
 */
function isPublic(url: string): boolean {
  if (url.startsWith("/api/v1/hooks/")) return true;
  return !(
    url.startsWith("/api/v1/") ||
    url === "/api/v1" ||
    url.startsWith("/metrics") ||
    // OTLP/HTTP's paths (POST /v1/traces).
    url.startsWith("/v1/")
  );
}

export function authorizer(tokens: readonly ApiToken[], clock: Clock): Authorize {
  let known: readonly KnownToken[] = [];
  // A server started without tokens stays open (on loopback); one started with tokens never
  // becomes open by a rotation that lists none.
  const open = tokens.length === 0;
  const byRequest = new WeakMap<FastifyRequest, KnownToken>();
  const limiter = new RateLimiter(() => clock.now());

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

  function scoped(request: FastifyRequest, needed: Role): Grant {
    if (open) return EVERYTHING;
    const token = identify(request);
    if (!PERMITS[token.role].includes(needed)) {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${token.name}" has role ${token.role}; this request needs ${needed}`,
      );
    }
    return { name: token.name, scope: token.scope };
  }

  function authorize(request: FastifyRequest, needed: Role): string {
    const grant = scoped(request, needed);
    if (grant.scope !== undefined) {
      throw new DeploysloError(
        "FORBIDDEN",
        `token "${grant.name}" is scoped; this request reads or acts on data of every model and needs an unscoped token`,
      );
    }
    return grant.name;
  }

  const result = Object.assign(authorize, {
    scoped,
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
