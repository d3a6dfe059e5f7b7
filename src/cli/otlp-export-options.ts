import { parseDuration } from "../core/primitives/duration.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { OtlpExportConfig } from "../services/export-attempt-traces.js";
import { VERSION } from "../version.js";

const TRACES_PATH = "/v1/traces";

/** The receiver's trace URL: the endpoint as given when it names /v1/traces, else with it added. */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DeploysloError(
      "USAGE",
      `--otlp-endpoint must be an http(s) URL, e.g. http://localhost:4318; got "${endpoint}"`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DeploysloError(
      "USAGE",
      `--otlp-endpoint must be an http or https URL (OTLP/HTTP); got "${endpoint}"`,
    );
  }
  if (!url.pathname.endsWith(TRACES_PATH))
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${TRACES_PATH}`;
  return url.toString();
}

/** `name=value` pairs, as OTEL_EXPORTER_OTLP_HEADERS has them (comma separated, values URL-encoded). */
function parseHeaders(entries: readonly string[], source: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const name = entry.slice(0, at).trim();
    if (at <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new DeploysloError(
        "USAGE",
        `${source}: "${entry.split("=")[0]}" is not NAME=VALUE with a valid header name`,
      );
    }
    let value = entry.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not URL-encoded: taken as written.
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * The OTLP export settings of `deployslo serve`, or undefined without --otlp-endpoint.
 * Headers come from OTEL_EXPORTER_OTLP_HEADERS (the OpenTelemetry variable) and --otlp-header,
 * which wins; secrets are better kept in the variable, out of the process list.
 */
export function otlpExportOptions(
  options: {
    readonly otlpEndpoint?: string | undefined;
    readonly otlpHeader: readonly string[];
    readonly otlpServiceName: string;
    readonly otlpTimeout: string;
  },
  env: Readonly<Record<string, string | undefined>>,
): OtlpExportConfig | undefined {
  if (options.otlpEndpoint === undefined) {
    if (options.otlpHeader.length > 0) {
      throw new DeploysloError(
        "USAGE",
        "--otlp-header needs --otlp-endpoint (where to export traces to)",
      );
    }
    return undefined;
  }
  const timeout = parseDuration(options.otlpTimeout);
  if (!timeout.ok || timeout.ms < 100 || timeout.ms > 600_000) {
    throw new DeploysloError(
      "USAGE",
      `--otlp-timeout must be a duration from 100ms to 10m, e.g. 10s; got "${options.otlpTimeout}"`,
    );
  }
  if (options.otlpServiceName.trim() === "") {
    throw new DeploysloError("USAGE", "--otlp-service-name must not be empty");
  }
  const fromEnv = (env.OTEL_EXPORTER_OTLP_HEADERS ?? "")
    .split(",")
    .filter((part) => part.trim() !== "");
  return Object.freeze({
    url: otlpTracesUrl(options.otlpEndpoint),
    headers: Object.freeze({
      ...parseHeaders(fromEnv, "OTEL_EXPORTER_OTLP_HEADERS"),
      ...parseHeaders(options.otlpHeader, "--otlp-header"),
    }),
    serviceName: options.otlpServiceName,
    version: VERSION,
    timeoutMs: timeout.ms,
  });
}
