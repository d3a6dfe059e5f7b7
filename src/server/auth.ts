import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../clock/clock.js";
import type { TokenScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { RateLimiter } from "./rate-limiter.js";
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
 * applies the token's rate limit. A route then calls `authorize(request, role)`, which refuses a
 * role too low and answers the grant: the token's name (for the audit log) and its scope, which
 * the route hands to its use case (reads are filtered by it, writes checked against it). With
 * no tokens configured every request passes as ANONYMOUS: the server then listens on loopback
 * only (see checkExposure).
 * `delivery` is `authorize` for webhook deliveries (see it).
 * `replace` swaps the tokens (SIGHUP) without a restart.
 */
export interface Authorize {
  (request: FastifyRequest, needed: Role): Grant;
  authenticate(request: FastifyRequest, reply: FastifyReply): void;
  /**
   * The grant of a delivery to POST /api/v1/hooks/{source}. A valid tool signature acts as the
   * token for its own hook: for a source that signs with a configured secret (`signedHooks`),
   * `verifySignature` (which throws UNAUTHORIZED) is the whole authentication, and grants
   * ingest, unscoped, on that hook only; a bearer token is neither needed nor read. Any other
   * delivery is a write like the rest: a bearer token, rate-limited on arrival, with the ingest
   * role, whose scope the receiver checks.
   */
  delivery(request: FastifyRequest, source: string, verifySignature: () => void): Grant;
  replace(tokens: readonly ApiToken[]): void;
}

/** The webhook receivers' route (hook-routes.ts). */
export const HOOK_ROUTE = "/api/v1/hooks/:source";

/** The source a request to the webhook route names, as the route reads it. */
function hookSource(request: FastifyRequest): string | undefined {
  if (request.routeOptions.url !== HOOK_ROUTE) return undefined;
  const { source } = request.params as { readonly source?: unknown };
  return typeof source === "string" ? source : undefined;
}

/**
 * Paths that need no token: health checks, the dashboard's files and the API description.
 * Every other path needs a token, but a signing tool's own hook (see `delivery`).
 */
function isPublic(url: string): boolean {
  return !(
    url.startsWith("/api/v1/") ||
    url === "/api/v1" ||
    url.startsWith("/metrics") ||
    // OTLP/HTTP's paths (POST /v1/traces).
    url.startsWith("/v1/")
  );
}

/**
 * `signedHooks`: the webhook sources with a configured secret, whose deliveries are
 * authenticated by their signature (see `delivery`).
 */
export function authorizer(
  tokens: readonly ApiToken[],
  clock: Clock,
  signedHooks: readonly string[] = [],
): Authorize {
  let known: readonly KnownToken[] = [];
  // A server started without tokens stays open (on loopback); one started with tokens never
  // becomes open by a rotation that lists none.
  const open = tokens.length === 0;
  const byRequest = new WeakMap<FastifyRequest, KnownToken>();
  const limiter = new RateLimiter(() => clock.now());
  const signing = new Set(signedHooks);
  const signedHook = (request: FastifyRequest): boolean => {
    const source = hookSource(request);
    return source !== undefined && signing.has(source);
  };

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

  function authorize(request: FastifyRequest, needed: Role): Grant {
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

  const result = Object.assign(authorize, {
    authenticate(request: FastifyRequest, reply: FastifyReply): void {
      // A signed delivery's credential is in its body, checked by its receiver (`delivery`).
      if (open || isPublic(request.url) || signedHook(request)) return;
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
    delivery(request: FastifyRequest, source: string, verifySignature: () => void): Grant {
      if (!signing.has(source)) return authorize(request, "ingest");
      verifySignature();
      return { name: `${source} signature`, scope: undefined };
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
