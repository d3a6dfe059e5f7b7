import type { z } from "zod";
import {
  type ApprovalGranted,
  ApprovalGrantedSchema,
} from "../contract/approval-granted-schema.js";
import type { ApprovalRequest } from "../contract/approval-request-schema.js";
import { type AttemptRecord, AttemptRecordSchema } from "../contract/attempt-record-schema.js";
import { CoordinationOverheadSchema } from "../contract/coordination-overhead-schema.js";
import { EnvironmentDriftSchema } from "../contract/environment-drift-schema.js";
import {
  type EvaluationResult,
  EvaluationResultSchema,
} from "../contract/evaluation-result-schema.js";
import {
  type EventIngestResult,
  EventIngestResultSchema,
} from "../contract/event-ingest-result-schema.js";
import { type GateAnswer, GateAnswerSchema } from "../contract/gate-answer-schema.js";
import { type IngestResult, IngestResultSchema } from "../contract/ingest-result-schema.js";
import { type InProgressAttempt, OverviewSchema } from "../contract/overview-schema.js";
import { SimulationSchema } from "../contract/simulation-schema.js";
import { type SloReportJson, SloReportSchema } from "../contract/slo-report-schema.js";
import { StageBudgetsSchema } from "../contract/stage-budgets-schema.js";
import { TailAttributionSchema } from "../contract/tail-attribution-schema.js";
import { ThresholdRecommendationSchema } from "../contract/threshold-recommendation-schema.js";
import type { GateRequest } from "../core/policy/approval.js";
import { DeploysloError, ERROR_CODES, type ErrorCode } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";

export type {
  ApprovalGranted as ApprovalAnswer,
  ApprovalRequest,
  EventIngestResult,
  GateAnswer,
  IngestResult,
};

export interface ApiClientOptions {
  /** The server's URL, e.g. http://127.0.0.1:8080 or https://example.com/deployslo/. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer TOKEN`. */
  readonly token?: string | undefined;
  readonly fetch?: typeof fetch;
  /** Per request, including reading the answer; default 60 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

export interface ApiClient {
  /** The normalized base URL, always ending in `/`. */
  readonly baseUrl: string;
  /** POST /api/v1/attempts with an NDJSON body: upserts by id. */
  postAttempts(ndjson: string): Promise<IngestResult>;
  /** GET /api/v1/slos, as of `at` (epoch ms) or the server's now. */
  getSlos(at?: number): Promise<EvaluationResult>;
  /** POST /api/v1/events with an NDJSON body: idempotent by event id. */
  postEvents(ndjson: string): Promise<EventIngestResult>;
  /** GET /api/v1/attempts/{id}: the attempt as a record (JSON). */
  getAttempt(id: string): Promise<AttemptRecord>;
  /** GET /api/v1/overview's attempts in progress, as of `at` or the server's now. */
  getInProgress(at?: number): Promise<readonly InProgressAttempt[]>;
  /** POST /api/v1/gate: the gate's decision for a promotion, as of `at` or the server's now. */
  postGate(request: GateRequest, at?: number): Promise<GateAnswer>;
  /** POST /api/v1/approvals: grants an approval (a token with the approve or admin role). */
  postApproval(approval: ApprovalRequest): Promise<ApprovalGranted>;
  /** GET /api/v1/insight/{route} with its query (the insight commands with --server). */
  getInsight<R extends InsightRoute>(route: R, query: URLSearchParams): Promise<InsightAnswer<R>>;
  /** GET /api/v1/reports as JSON (`deployslo report --server`). */
  getReport(query: URLSearchParams): Promise<SloReportJson>;
}

const INSIGHT_SCHEMAS = {
  recommendation: ThresholdRecommendationSchema,
  tail: TailAttributionSchema,
  simulation: SimulationSchema,
  handoffs: CoordinationOverheadSchema,
  budgets: StageBudgetsSchema,
  drift: EnvironmentDriftSchema,
} as const;

export type InsightRoute = keyof typeof INSIGHT_SCHEMAS;
export type InsightAnswer<R extends InsightRoute> = z.output<(typeof INSIGHT_SCHEMAS)[R]>;

export const DEFAULT_TIMEOUT_MS = 60_000;

/** Statuses worth sending again: the server or a proxy in front of it is busy or restarting. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * A request that failed: no answer (`status` null: refused, reset, timed out) or an HTTP error,
 * with the RFC 9457 problem details the server sent.
 */
export class ApiError extends Error {
  readonly status: number | null;
  /** The problem's `code`, e.g. RECORD_INVALID; null when the answer had none. */
  readonly code: string | null;
  readonly detail: string;
  readonly errors: readonly string[];
  /** From a Retry-After header in seconds. */
  readonly retryAfterMs: number | null;

  constructor(fields: {
    status: number | null;
    code?: string | null;
    detail: string;
    errors?: readonly string[];
    retryAfterMs?: number | null;
  }) {
    const prefix =
      fields.status === null
        ? ""
        : `${fields.status}${fields.code === null || fields.code === undefined ? "" : ` ${fields.code}`}: `;
    super(`${prefix}${fields.detail}`);
    this.name = "ApiError";
    this.status = fields.status;
    this.code = fields.code ?? null;
    this.detail = fields.detail;
    this.errors = fields.errors ?? [];
    this.retryAfterMs = fields.retryAfterMs ?? null;
  }

  /** No answer, 429, 502, 503 or 504: sending the same request again may work. */
  get transient(): boolean {
    return this.status === null || TRANSIENT_STATUSES.has(this.status);
  }
}

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** Codes that blame this machine (its command line, its files, a bug here), never the server. */
const LOCAL_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "USAGE",
  "INPUT_UNREADABLE",
  "INTERNAL",
]);

/**
 * The error code for a failed request. A failure on the client's side is never a usage error
 * nor a bug here: a known code of the server's is kept unless it is one of LOCAL_CODES;
 * otherwise no answer, 429 and 5xx are SERVER_UNAVAILABLE and other 4xx `rejected`.
 */
export function errorCodeFor(error: ApiError, rejected: ErrorCode): ErrorCode {
  if (error.status === null) return "SERVER_UNAVAILABLE";
  const code = error.code;
  if (code !== null && code in ERROR_CODES && !LOCAL_CODES.has(code)) return code as ErrorCode;
  const byStatus = BY_STATUS[error.status];
  if (byStatus !== undefined) return byStatus;
  if (error.status === 429 || error.status >= 500) return "SERVER_UNAVAILABLE";
  return rejected;
}

/** Parses `--server`: an http(s) URL, normalized to end in `/` so paths resolve under it. */
export function normalizeBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeploysloError(
      "USAGE",
      `the server URL must look like http://host:port, got "${text}"`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DeploysloError(
      "USAGE",
      `the server URL must start with http:// or https://, got "${text}"`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new DeploysloError("USAGE", "put the API token in --token, not in the server URL");
  }
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return url.href;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Object && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const first = causeCode(inner[0]);
      if (first !== undefined) return first;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A fetch that threw: refused, reset, unknown host, timed out. */
function noAnswer(error: unknown, timeoutMs: number): ApiError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ApiError({ status: null, detail: `no answer within ${timeoutMs / 1000}s` });
  }
  const code = causeCode(error);
  if (code !== undefined)
    return new ApiError({
      status: null,
      detail: `${NETWORK_REASONS[code] ?? "network error"} (${code})`,
    });
  // undici says only "fetch failed"; the reason (e.g. "bad port") is in its cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({
    status: null,
    detail: cause instanceof Error ? `${message}: ${cause.message}` : message,
  });
}

function retryAfter(header: string | null): number | null {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return null;
  return Number(header) * 1000;
}

function stringOr(value: unknown, fallback: string | null): string | null {
  return typeof value === "string" && value !== "" ? value : fallback;
}

/** An HTTP error answer as an ApiError, with the problem's code, detail and errors if any. */
async function httpError(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  try {
    const text = await response.text();
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
      problem = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status line says enough.
  }
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is string => typeof e === "string")
    : [];
  const fallback = response.statusText === "" ? "request failed" : response.statusText;
  return new ApiError({
    status: response.status,
    code: stringOr(problem.code, null),
    detail: stringOr(problem.detail, stringOr(problem.title, fallback)) ?? fallback,
    errors,
    retryAfterMs: retryAfter(response.headers.get("retry-after")),
  });
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A path with `?at=` when an instant is given. */
function withAt(path: string, at: number | undefined): string {
  return at === undefined ? path : `${path}?at=${encodeURIComponent(formatTimestamp(at))}`;
}

/**
 * A small typed client for the deployslo HTTP API over fetch. Every failure is an ApiError;
 * retrying is the caller's choice (see ApiError.transient).
 *
 * @example
 * const client = createApiClient({ baseUrl: "http://127.0.0.1:8080", token });
 * const { inserted } = await client.postAttempts(ndjson);
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token !== undefined && options.token !== "")
    headers.authorization = `Bearer ${options.token}`;
  if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;

  /** Sends one request; the answer must parse against its contract schema. */
  async function request<S extends z.ZodType>(
    path: string,
    init: { method: "GET" | "POST"; body?: string; contentType?: string },
    schema: S,
  ): Promise<z.output<S>> {
    const url = new URL(path, baseUrl);
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: init.method,
        headers:
          init.contentType === undefined
            ? headers
            : { ...headers, "content-type": init.contentType },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw await httpError(response);
      text = await response.text();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw noAnswer(error, timeoutMs);
    }
    const value = jsonOrUndefined(text);
    const answer = schema.safeParse(value);
    if (!answer.success) {
      throw new ApiError({
        status: response.status,
        detail: `unexpected answer from ${url.href}: is this a deployslo server?`,
      });
    }
    return answer.data;
  }

  return {
    baseUrl,
    postAttempts: (ndjson) =>
      request(
        "api/v1/attempts",
        { method: "POST", body: ndjson, contentType: "application/x-ndjson" },
        IngestResultSchema,
      ),
    getSlos: (at) => request(withAt("api/v1/slos", at), { method: "GET" }, EvaluationResultSchema),
    getInProgress: async (at) => {
      const overview = await request(
        withAt("api/v1/overview", at),
        { method: "GET" },
        OverviewSchema,
      );
      return overview.inProgress;
    },
    postEvents: (ndjson) =>
      request(
        "api/v1/events",
        { method: "POST", body: ndjson, contentType: "application/x-ndjson" },
        EventIngestResultSchema,
      ),
    getAttempt: (id) =>
      request(`api/v1/attempts/${encodeURIComponent(id)}`, { method: "GET" }, AttemptRecordSchema),
    postGate: (gate, at) =>
      request(
        "api/v1/gate",
        {
          method: "POST",
          body: JSON.stringify({
            ...gate,
            version: gate.version ?? undefined,
            ...(at === undefined ? {} : { at: formatTimestamp(at) }),
          }),
          contentType: "application/json",
        },
        GateAnswerSchema,
      ),
    getInsight: <R extends InsightRoute>(route: R, query: URLSearchParams) =>
      request(
        `api/v1/insight/${route}?${query}`,
        { method: "GET" },
        INSIGHT_SCHEMAS[route],
      ) as Promise<InsightAnswer<R>>,
    getReport: (query) => request(`api/v1/reports?${query}`, { method: "GET" }, SloReportSchema),
    postApproval: (approval) =>
      request(
        "api/v1/approvals",
        { method: "POST", body: JSON.stringify(approval), contentType: "application/json" },
        ApprovalGrantedSchema,
      ),
  };
}
