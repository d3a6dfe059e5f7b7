import { Command } from "commander";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../../core/attempt/record-limits.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { defaultIngestWorkers } from "../../ingest/attempt-batch-decoder.js";
import { DEFAULT_MLFLOW_POLL_INTERVAL_MS } from "../../jobs/start-mlflow-alias-poller.js";
import {
  parseAliasEnvironments,
  parseAliasWatches,
  parseHookSecrets,
} from "../../server/parse-hook-options.js";
import { runService, type ServiceOptions } from "../../server/run-service.js";
import { type ApiToken, DEFAULT_BODY_LIMIT, parseTokens } from "../../server/server-config.js";
import type { Retention } from "../../services/resolve-retention.js";
import { DEFAULT_QUERY_TIMEOUT_MS } from "../../store/open-store.js";
import type { CliIo } from "../cli-io.js";
import { integerOption } from "../integer-option.js";
import { otlpExportOptions } from "../otlp-export-options.js";
import { sizeOption } from "../size-option.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface ServeOptions {
  config: string[];
  port: string;
  host: string;
  database?: string;
  sampleData?: boolean;
  insecure?: boolean;
  token: string[];
  tokenFile?: string;
  logLevel: string;
  alertInterval: string;
  queryTimeout: string;
  ingestWorkers?: string;
  bodyLimit: string;
  maxLabels: string;
  maxAttributes: string;
  maxStages: string;
  maxDependencies: string;
  hookSecret: string[];
  mlflowAlias: string[];
  mlflowRegisteredEnvironment?: string;
  mlflowTrackingUri?: string;
  mlflowWatch: string[];
  mlflowPollInterval: string;
  otlpEndpoint?: string;
  otlpHeader: string[];
  otlpServiceName: string;
  otlpTimeout: string;
  retain?: string;
}

export const DEFAULT_DATABASE = ".deployslo/deployslo.db";
export const SAMPLE_DATABASE = ".deployslo/sample.db";

/** The option that changes what the service could not have. */
function withOptionHint(error: unknown, port: number): unknown {
  if (!(error instanceof DeploysloError) || error.code !== "PORT_UNAVAILABLE") return error;
  return new DeploysloError(error.code, error.message, [
    `choose another port with --port (e.g. --port ${port === 65_535 ? 8080 : port + 1}), or another address with --host`,
  ]);
}

/** The options of the OTLP trace export and of retention. */
function withExportAndRetention(command: Command): Command {
  return command
    .option(
      "--otlp-endpoint <url>",
      "export each finished attempt as an OpenTelemetry trace to this OTLP/HTTP receiver (e.g. http://localhost:4318; /v1/traces is added)",
    )
    .option(
      "--otlp-header <name=value>",
      "a header of every export request (e.g. authorization=Bearer%20...); repeatable; or $OTEL_EXPORTER_OTLP_HEADERS",
      collect,
      [],
    )
    .option("--otlp-service-name <name>", "service.name of the exported traces", "deployslo")
    .option("--otlp-timeout <duration>", "how long one export request may take", "10s")
    .option(
      "--retain <duration|never>",
      "delete attempts whose every instant is older than this, e.g. 400d; never keeps everything (default: twice the longest SLO window plus its lookback and a day)",
    );
}

export function serveCommand(
  io: CliIo,
  signals: { on(signal: "SIGHUP" | "SIGINT" | "SIGTERM", listener: () => void): unknown },
): Command {
  const command = new Command("serve")
    .description("Run the service: ingest API, live SLO status, /metrics")
    .option("-c, --config <file>", "SLO spec file (YAML); repeatable", collect, [])
    .option("-p, --port <port>", "port to listen on", "8080")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--database <path|url>",
      `SQLite file or postgres:// URL (default: $DEPLOYSLO_DATABASE_URL or ${DEFAULT_DATABASE})`,
    )
    .option(
      "--sample-data",
      `load 60 days of generated sample history (into ${SAMPLE_DATABASE} unless --database is given)`,
    )
    .option("--insecure", "allow listening beyond loopback without API tokens")
    .option(
      "--token <role:token>",
      "an API token (roles: read, ingest, approve, admin); repeatable; or $DEPLOYSLO_TOKENS",
      collect,
      [],
    )
    .option(
      "--token-file <file>",
      "API tokens with scopes and rate limits (YAML; see docs/operations.md); re-read on SIGHUP",
    )
    .option("--log-level <level>", "pino log level", "info")
    .option("--alert-interval <duration>", "evaluate alert rules every this long", "30s")
    .option(
      "--query-timeout <duration>",
      "PostgreSQL: the longest one database query may run, lock waits included, before its request gets a 503; 0 for no limit",
      `${DEFAULT_QUERY_TIMEOUT_MS / 1000}s`,
    )
    .option(
      "--ingest-workers <n>",
      `worker threads that decode attempt batches; 0 decodes on the main thread (default: ${defaultIngestWorkers()}, one less than the CPUs, at most 4)`,
    )
    .option(
      "--body-limit <size>",
      "the largest request body, in bytes or KiB/MiB",
      `${DEFAULT_BODY_LIMIT / 1024 / 1024}MiB`,
    )
    .option(
      "--max-labels <n>",
      "labels one record or event may have",
      `${DEFAULT_RECORD_LIMITS.labels}`,
    )
    .option(
      "--max-attributes <n>",
      "entries of one attributes object",
      `${DEFAULT_RECORD_LIMITS.attributes}`,
    )
    .option("--max-stages <n>", "stages one record may have", `${DEFAULT_RECORD_LIMITS.stages}`)
    .option(
      "--max-dependencies <n>",
      "dependency samples one record may have",
      `${DEFAULT_RECORD_LIMITS.dependencies}`,
    )
    .option(
      "--hook-secret <source=secret>",
      "a webhook secret of a signing source (mlflow, github); repeatable; or $DEPLOYSLO_HOOK_SECRETS",
      collect,
      [],
    )
    .option(
      "--mlflow-alias <alias=environment>",
      "moving this MLflow alias promotes to that environment; repeatable (default: every alias, as an environment of its name)",
      collect,
      [],
    )
    .option(
      "--mlflow-registered-environment <environment>",
      "registering an MLflow model version promotes it to this environment",
    )
    .option(
      "--mlflow-tracking-uri <url>",
      "poll this MLflow server for moved aliases (with --mlflow-watch); $MLFLOW_TRACKING_TOKEN is sent as a bearer token",
    )
    .option("--mlflow-watch <model@alias>", "an MLflow alias to poll; repeatable", collect, [])
    .option(
      "--mlflow-poll-interval <duration>",
      "between polls of MLflow",
      `${DEFAULT_MLFLOW_POLL_INTERVAL_MS / 1000}s`,
    );
  return withExportAndRetention(command).action((options: ServeOptions) =>
    serve(options, io, signals),
  );
}

/** Checks the options, starts the service, and runs until SIGINT or SIGTERM. */
async function serve(
  options: ServeOptions,
  io: CliIo,
  signals: { on(signal: "SIGHUP" | "SIGINT" | "SIGTERM", listener: () => void): unknown },
): Promise<void> {
  if (options.config.length === 0)
    throw new DeploysloError("USAGE", "serve needs --config FILE (an SLO spec)");
  const port = integerOption("--port", options.port, 0, 65_535);
  const ingestWorkers =
    options.ingestWorkers === undefined
      ? defaultIngestWorkers()
      : integerOption("--ingest-workers", options.ingestWorkers, 0, 64);
  const alertInterval = parseDuration(options.alertInterval);
  if (!alertInterval.ok || alertInterval.ms < 1000) {
    throw new DeploysloError(
      "USAGE",
      `--alert-interval must be a duration of at least 1s, e.g. 30s; got "${options.alertInterval}"`,
    );
  }
  const queryTimeoutMs = queryTimeoutOption(options.queryTimeout);
  const tokens: ApiToken[] = [
    ...parseTokens(io.env.DEPLOYSLO_TOKENS ?? "", "DEPLOYSLO_TOKENS"),
    ...parseTokens(options.token.join(","), "--token"),
  ];
  const otlpExport = otlpExportOptions(options, io.env);
  const database =
    options.database ??
    (options.sampleData === true
      ? SAMPLE_DATABASE
      : (io.env.DEPLOYSLO_DATABASE_URL ?? DEFAULT_DATABASE));
  const service = await runService({
    configFiles: options.config,
    database,
    sampleData: options.sampleData === true,
    logLevel: options.logLevel,
    alertIntervalMs: alertInterval.ms,
    queryTimeoutMs,
    ingestWorkers,
    ...(otlpExport === undefined ? {} : { otlpExport }),
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    retention: retainOption(options.retain),
    server: Object.freeze({
      host: options.host,
      port,
      bodyLimitBytes: sizeOption("--body-limit", options.bodyLimit, 1024, 1024 * 1024 * 1024),
      recordLimits: recordLimitOptions(options),
      tokens,
      insecure: options.insecure === true,
      hooks: hookSettings(options, io),
    }),
    ...mlflowPoll(options, io),
  }).catch((error: unknown) => {
    throw withOptionHint(error, port);
  });
  io.stderr.write(
    `deployslo: serving ${service.url} (database ${database.replace(/\/\/[^@/]*@/, "//***@")})\n`,
  );
  signals.on("SIGHUP", () => void service.reload());
  await new Promise<void>((resolve) => {
    const stop = () => {
      service.logger.info("shutting down");
      void service.close().then(resolve);
    };
    signals.on("SIGINT", stop);
    signals.on("SIGTERM", stop);
  });
}

/** --retain: absent for the default, `never`, or a duration of at least 1h. */
function retainOption(text: string | undefined): Retention {
  if (text === undefined) return { kind: "default" };
  if (text.trim() === "never") return { kind: "never" };
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms < 3_600_000) {
    throw new DeploysloError(
      "USAGE",
      `--retain must be a duration of at least 1h, e.g. 400d, or never to delete nothing; got "${text}"${parsed.ok ? "" : ` (${parsed.reason})`}`,
    );
  }
  return { kind: "fixed", ms: parsed.ms };
}

/** --query-timeout: 0 (no limit), or a duration from 100ms to 1h. */
function queryTimeoutOption(text: string): number {
  if (text.trim() === "0") return 0;
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms < 100 || parsed.ms > 3_600_000) {
    throw new DeploysloError(
      "USAGE",
      `--query-timeout must be 0 (no limit) or a duration from 100ms to 1h, e.g. 30s; got "${text}"`,
    );
  }
  return parsed.ms;
}

/** Webhook secrets and MLflow's alias mapping (docs/integrations.md). */
function hookSettings(options: ServeOptions, io: CliIo) {
  return Object.freeze({
    secrets: Object.freeze({
      ...parseHookSecrets(io.env.DEPLOYSLO_HOOK_SECRETS ?? "", "DEPLOYSLO_HOOK_SECRETS"),
      ...parseHookSecrets(options.hookSecret.join(","), "--hook-secret"),
    }),
    mlflow: Object.freeze({
      aliases: parseAliasEnvironments(options.mlflowAlias),
      registeredEnvironment: options.mlflowRegisteredEnvironment,
    }),
  });
}

/** The MLflow alias poller, when --mlflow-tracking-uri is given. */
function mlflowPoll(options: ServeOptions, io: CliIo): Pick<ServiceOptions, "mlflowPoll"> {
  const uri = options.mlflowTrackingUri;
  const watches = parseAliasWatches(options.mlflowWatch);
  if (uri === undefined) {
    if (watches.length > 0)
      throw new DeploysloError("USAGE", "--mlflow-watch needs --mlflow-tracking-uri");
    return {};
  }
  if (!/^https?:\/\//.test(uri)) {
    throw new DeploysloError("USAGE", `--mlflow-tracking-uri must be an http(s) URL; got "${uri}"`);
  }
  if (watches.length === 0) {
    throw new DeploysloError("USAGE", "--mlflow-tracking-uri needs --mlflow-watch MODEL@ALIAS");
  }
  const interval = parseDuration(options.mlflowPollInterval);
  if (!interval.ok || interval.ms < 1000) {
    throw new DeploysloError(
      "USAGE",
      `--mlflow-poll-interval must be a duration of at least 1s, e.g. 30s; got "${options.mlflowPollInterval}"`,
    );
  }
  return {
    mlflowPoll: {
      trackingUri: uri,
      watches,
      intervalMs: interval.ms,
      token: io.env.MLFLOW_TRACKING_TOKEN,
    },
  };
}

/** The --max-* flags; each bound is at most 100,000 so that a typo cannot disable it. */
function recordLimitOptions(options: ServeOptions): RecordLimits {
  return Object.freeze({
    labels: integerOption("--max-labels", options.maxLabels, 0, 100_000),
    attributes: integerOption("--max-attributes", options.maxAttributes, 0, 100_000),
    stages: integerOption("--max-stages", options.maxStages, 0, 100_000),
    dependencies: integerOption("--max-dependencies", options.maxDependencies, 0, 100_000),
  });
}
