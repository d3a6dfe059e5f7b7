import type { RecordLimits } from "../core/attempt/record-limits.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { HookSettings } from "../integrations/hooks/hook-settings.js";
import type { RateLimit } from "./rate-limiter.js";
import type { TokenScope } from "./token-scope.js";

export type Role = "read" | "ingest" | "approve" | "admin";
export const ROLES: readonly Role[] = ["read", "ingest", "approve", "admin"];

export interface ApiToken {
  readonly name: string;
  readonly role: Role;
  readonly token: string;
  /** Limits what the token reads and writes; absent: everything its role allows. */
  readonly scope?: TokenScope;
  /** Requests per second for this token; absent: no limit. */
  readonly rateLimit?: RateLimit;
}

/** Server settings, validated once at start and frozen. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  /** What one attempt record or event may hold (labels, attributes, stages, dependencies). */
  readonly recordLimits: RecordLimits;
  readonly tokens: readonly ApiToken[];
  /** Allow binding a non-loopback address without tokens. */
  readonly insecure: boolean;
  /** Webhook secrets and MLflow's alias mapping (POST /api/v1/hooks); absent: none. */
  readonly hooks?: HookSettings;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export function isLoopback(host: string): boolean {
  return (
    host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/**
 * Parses `DEPLOYSLO_TOKENS` / `--token` values: `role:token` or `name:role:token`, comma or
 * newline separated. Tokens must be at least 16 characters: short ones are guessable.
 */
export function parseTokens(text: string, source: string): ApiToken[] {
  const tokens: ApiToken[] = [];
  for (const [i, raw] of text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .entries()) {
    if (raw === "") continue;
    const parts = raw.split(":");
    const [name, role, token] = parts.length === 2 ? [`token-${i + 1}`, parts[0], parts[1]] : parts;
    if (
      parts.length < 2 ||
      parts.length > 3 ||
      role === undefined ||
      token === undefined ||
      name === undefined
    ) {
      throw new DeploysloError(
        "USAGE",
        `${source}: entry ${i + 1} must be ROLE:TOKEN or NAME:ROLE:TOKEN`,
      );
    }
    if (!ROLES.includes(role as Role)) {
      throw new DeploysloError(
        "USAGE",
        `${source}: entry ${i + 1} has role "${role}"; roles are ${ROLES.join(", ")}`,
      );
    }
    if (token === "") {
      // `--token ci:ingest:$CI_TOKEN` with CI_TOKEN unset: say so, not "too short".
      throw new DeploysloError(
        "USAGE",
        `${source}: the token of entry ${i + 1} ("${name}", role ${role}) is empty: is the environment variable that should hold it set?`,
      );
    }
    if (token.length < 16) {
      throw new DeploysloError(
        "USAGE",
        `${source}: the token of entry ${i + 1} is shorter than 16 characters`,
      );
    }
    tokens.push({ name, role: role as Role, token });
  }
  return tokens;
}

/** Refuses to expose an unauthenticated API beyond this machine unless told to. */
export function checkExposure(config: ServerConfig): void {
  if (!isLoopback(config.host) && config.tokens.length === 0 && !config.insecure) {
    throw new DeploysloError(
      "USAGE",
      `refusing to listen on ${config.host} without API tokens: anyone who can reach it could write attempts. Set DEPLOYSLO_TOKENS (e.g. "admin:<secret>"), or pass --insecure if the network is trusted`,
    );
  }
}
