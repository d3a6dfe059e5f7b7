import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { type Clock, systemClock } from "../clock/clock.js";
import { systemRandom } from "../clock/random.js";
import {
  loadNotificationTargets,
  resolveNotificationTargets,
} from "../config/load-notification-targets.js";
import { loadSloSpecs } from "../config/load-slo-specs.js";
import { unreadable } from "../config/unreadable.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import { attemptBatchDecoder, defaultIngestWorkers } from "../ingest/attempt-batch-decoder.js";
import { EventWriter } from "../ingest/event-writer.js";
import { DEFAULT_HOOK_SETTINGS, signedHookSources } from "../integrations/hooks/hook-settings.js";
import {
  type AliasWatch,
  mlflowAliasLookup,
} from "../integrations/mlflow/mlflow-registry-client.js";
import { addHistoryFigures, historyFigures } from "../integrations/prometheus/verdict-counters.js";
import {
  DEFAULT_TIMEOUT_INTERVAL_MS,
  startInProgressTimeoutLoop,
} from "../jobs/in-progress-timeout-loop.js";
import {
  DEFAULT_ALERT_INTERVAL_MS,
  startAlertEvaluationLoop,
} from "../jobs/start-alert-evaluation-loop.js";
import { startMlflowAliasPoller } from "../jobs/start-mlflow-alias-poller.js";
import { startNotificationDelivery } from "../jobs/start-notification-delivery.js";
import { startOtlpExportLoop } from "../jobs/start-otlp-export-loop.js";
import { startRetentionLoop } from "../jobs/start-retention-loop.js";
import type { OtlpExportConfig } from "../services/export-attempt-traces.js";
import { KeyedQueue } from "../services/keyed-queue.js";
import { loadSampleData } from "../services/load-sample-data.js";
import type { PrunedBatch } from "../services/prune-expired-rows.js";
import { type Retention, resolveRetention } from "../services/resolve-retention.js";
import type { ServiceContext } from "../services/service-context.js";
import { SloEngine } from "../services/slo-engine.js";
import { sqliteOpenElsewhere } from "../store/dialects/sqlite-open-elsewhere.js";
import { isPostgresUrl, openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { type Authorize, authorizer } from "./auth.js";
import { buildServer } from "./build-server.js";
import { checkPortAvailable } from "./check-port-available.js";
import { listenError } from "./listen-error.js";
import { parseTokenFile } from "./parse-token-file.js";
import { type ApiToken, checkExposure, type ServerConfig } from "./server-config.js";
import { retentionMetrics, sloMetrics } from "./slo-metrics.js";

export interface ServiceOptions {
  readonly configFiles: readonly string[];
  readonly database: string;
  readonly server: ServerConfig;
  readonly sampleData: boolean;
  readonly logLevel: string;
  /** Where notification targets' secrets are read from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Pause between alert evaluations, ms; default 30 s. */
  readonly alertIntervalMs?: number;
  /** PostgreSQL: the longest one query may run (0: no limit); default DEFAULT_QUERY_TIMEOUT_MS. */
  readonly queryTimeoutMs?: number;
  /** Worker threads decoding attempt batches (0: on the event loop); default defaultIngestWorkers(). */
  readonly ingestWorkers?: number;
  /** A token file (YAML, parseTokenFile) read at start and again by reload(). */
  readonly tokenFile?: string;
  /** Poll MLflow for moved aliases (serve --mlflow-tracking-uri, --mlflow-watch). */
  readonly mlflowPoll?: {
    readonly trackingUri: string;
    readonly watches: readonly AliasWatch[];
    readonly intervalMs: number;
    /** Sent as a bearer token (MLFLOW_TRACKING_TOKEN). */
    readonly token?: string | undefined;
  };
  /** Export finished attempts as OTLP traces (serve --otlp-endpoint); absent: no export. */
  readonly otlpExport?: OtlpExportConfig;
  /** How long attempts are kept (serve --retain); default: derived from the SLOs. */
  readonly retention?: Retention;
}

const DEFAULT_RETENTION: Retention = Object.freeze({ kind: "default" });

/** The configured tokens and those of the token file, if any. */
async function readTokens(options: ServiceOptions): Promise<readonly ApiToken[]> {
  if (options.tokenFile === undefined) return options.server.tokens;
  let text: string;
  try {
    text = await readFile(options.tokenFile, "utf8");
  } catch (error) {
    throw unreadable(options.tokenFile, error);
  }
  return [...options.server.tokens, ...parseTokenFile(text, options.tokenFile)];
}

export interface RunningService {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly logger: Logger;
  /**
   * Re-reads the token file and the SLO specs; keeps the old tokens or specs (and says why)
   * when the new ones are invalid.
   */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

/** The SLO specs, refused when they have errors or read further back than `retention` keeps. */
async function loadValidSpecs(files: readonly string[], retention: Retention) {
  const specs = await loadSloSpecs(files);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in SLO specs`,
      errors.map(formatDiagnostic),
    );
  }
  resolveRetention(retention, specs.slos);
  return specs;
}

/** The notification targets of the config files, their secrets read from `env`. */
async function loadValidTargets(
  files: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
) {
  const loaded = await loadNotificationTargets(files);
  const resolved = resolveNotificationTargets(loaded.targets, env);
  const errors = [...loaded.diagnostics, ...resolved.diagnostics].filter(
    (d) => d.severity === "error",
  );
  if (errors.length > 0) {
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in notification targets`,
      errors.map(formatDiagnostic),
    );
  }
  return { targets: resolved.targets, warnings: loaded.diagnostics };
}

/** Sample data rewrites the store: never one that a running server (or anyone) has open. */
function checkSampleDataTarget(database: string): void {
  if (isPostgresUrl(database) || !sqliteOpenElsewhere(database)) return;
  throw new DeploysloError(
    "STORE_UNAVAILABLE",
    `refusing to load sample data into ${database}: another process has it open (a deployslo serve already running on it?); stop it, or use another database file`,
  );
}

/**
 * The background work of the service: notification delivery, alert evaluation, timeouts, and
 * the OTLP trace export when configured.
 */
function startLoops(
  ctx: ServiceContext & { events: EventWriter; hookQueue: KeyedQueue; newId: () => string },
  targets: () => ReadonlyMap<string, ResolvedTarget>,
  options: ServiceOptions & { replica: string; onPruned: (batch: PrunedBatch) => void },
  logger: Logger,
): { stop(): Promise<void> } {
  const poll = options.mlflowPoll;
  const poller =
    poll === undefined
      ? undefined
      : startMlflowAliasPoller(
          { ...ctx, logger: logger.child({ component: "mlflow-poller" }) },
          {
            watches: poll.watches,
            settings: (options.server.hooks ?? DEFAULT_HOOK_SETTINGS).mlflow,
            lookUp: mlflowAliasLookup(poll.trackingUri, { token: poll.token }),
            intervalMs: poll.intervalMs,
          },
        );
  const delivery = startNotificationDelivery(
    { ...ctx, logger: logger.child({ component: "notifications" }) },
    targets,
  );
  const alerts = startAlertEvaluationLoop(
    { ...ctx, logger: logger.child({ component: "alerts" }) },
    { owner: options.replica, intervalMs: options.alertIntervalMs ?? DEFAULT_ALERT_INTERVAL_MS },
  );
  const timeouts = startInProgressTimeoutLoop(
    { ...ctx, logger: logger.child({ component: "timeouts" }) },
    { intervalMs: DEFAULT_TIMEOUT_INTERVAL_MS },
  );
  const traces =
    options.otlpExport === undefined
      ? undefined
      : startOtlpExportLoop(
          { ...ctx, logger: logger.child({ component: "otlp-export" }) },
          { config: options.otlpExport, owner: options.replica },
        );
  const retention = startRetentionLoop(
    { ...ctx, logger: logger.child({ component: "retention" }) },
    {
      owner: options.replica,
      retainMs: () => resolveRetention(options.retention ?? DEFAULT_RETENTION, ctx.engine.slos),
      onBatch: options.onPruned,
    },
  );
  return {
    async stop() {
      await poller?.stop();
      await retention.stop();
      await alerts.stop();
      await timeouts.stop();
      await traces?.stop();
      await delivery.stop();
    },
  };
}

/** Re-reads the token file (SIGHUP); an invalid one keeps the tokens the server has. */
async function reloadTokens(
  options: ServiceOptions,
  authorize: Authorize,
  logger: Logger,
): Promise<void> {
  try {
    const next = await readTokens(options);
    authorize.replace(next);
    logger.info({ tokens: next.map((token) => token.name) }, "reloaded API tokens");
  } catch (error) {
    const details = error instanceof DeploysloError ? error.details : [];
    logger.error(
      { error: (error as Error).message, details },
      "kept the previous API tokens: the token file is invalid",
    );
  }
}

async function loadSample(ctx: ServiceContext, database: string, logger: Logger): Promise<void> {
  const count = await loadSampleData({ ctx, input: {} });
  logger.warn({ attempts: count }, "loaded SAMPLE data (generated, not real) into %s", database);
}

/** Re-reads the SLO specs and notification targets (SIGHUP); invalid ones keep the old. */
async function reloadSpecs(
  options: ServiceOptions,
  env: Readonly<Record<string, string | undefined>>,
  engine: SloEngine,
  logger: Logger,
): Promise<ReadonlyMap<string, ResolvedTarget> | undefined> {
  const files = options.configFiles;
  try {
    const next = await loadValidSpecs(files, options.retention ?? DEFAULT_RETENTION);
    const nextTargets = await loadValidTargets(files, env);
    await engine.setSlos(next.slos);
    logger.info(
      {
        slos: next.slos.map((slo) => slo.name),
        notificationTargets: [...nextTargets.targets.keys()],
      },
      "reloaded SLO specs",
    );
    return nextTargets.targets;
  } catch (error) {
    const details = error instanceof DeploysloError ? error.details : [];
    logger.error(
      { error: (error as Error).message, details },
      "kept the previous SLO specs: the new ones are invalid",
    );
    return undefined;
  }
}

/**
 * The registry of /metrics (the SLO gauges, the all-time counters over every stored attempt),
 * and what counts the rows retention deletes on it.
 */
function serviceMetrics(engine: SloEngine, clock: Clock) {
  const metrics = sloMetrics(
    () => engine.status(clock.now()),
    () =>
      engine.overAllHistory(
        (slos, tables) => historyFigures(slos, tables, clock.now()),
        addHistoryFigures,
      ),
  );
  return { metrics, onPruned: retentionMetrics(metrics) };
}

/**
 * Starts `deployslo serve`: validates the SLO specs, checks that the port is free, opens the
 * store (running migrations), loads the stored attempts into the engine, and listens. Fails
 * before listening on any error, and before touching any data when the port is taken.
 */
export async function runService(options: ServiceOptions): Promise<RunningService> {
  const logger = pino({ level: options.logLevel, base: { service: "deployslo" } });
  const tokens = await readTokens(options);
  checkExposure({ ...options.server, tokens });
  await checkPortAvailable(options.server.host, options.server.port);
  const authorize = authorizer(tokens, systemClock, signedHookSources(options.server.hooks));
  const specs = await loadValidSpecs(options.configFiles, options.retention ?? DEFAULT_RETENTION);
  for (const warning of specs.diagnostics) logger.warn(formatDiagnostic(warning));
  const env = options.env ?? process.env;
  const loadedTargets = await loadValidTargets(options.configFiles, env);
  for (const warning of loadedTargets.warnings) logger.warn(formatDiagnostic(warning));
  let targets: ReadonlyMap<string, ResolvedTarget> = loadedTargets.targets;
  const attemptBatches = attemptBatchDecoder({
    workers: options.ingestWorkers ?? defaultIngestWorkers(),
    limits: options.server.recordLimits,
  });
  if (options.sampleData) checkSampleDataTarget(options.database);
  const store: Store = await openStore(
    options.database,
    options.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: options.queryTimeoutMs },
  );
  let loaded = false;
  const clock = systemClock;
  const engine = new SloEngine(store, specs.slos, clock);
  const ctx: ServiceContext = { store, engine, clock, random: systemRandom, logger };
  try {
    if (options.sampleData) await loadSample(ctx, options.database, logger);
    await engine.refresh();
    loaded = true;
    // The per-SLO bucket aggregates are built after the replica is ready, one SLO at a time:
    // with a thousand SLOs over millions of attempts that takes seconds, during which requests
    // are answered (the first ones about an SLO not yet warm build its aggregates themselves).
    engine.warm(clock.now()).catch((error: unknown) => {
      logger.warn({ err: error }, "warming the SLO aggregates failed; requests will build them");
    });
    // Event ingest, hook deliveries and the MLflow poller share one writer and one queue.
    const writes = {
      events: new EventWriter(store, options.server.recordLimits),
      hookQueue: new KeyedQueue(),
      newId: () => randomUUID(),
    };
    const { metrics, onPruned } = serviceMetrics(engine, clock);
    const app = await buildServer(
      {
        ...ctx,
        ...writes,
        config: options.server,
        attemptBatches,
        authorize,
        metrics,
        ready: () => loaded,
      },
      { logger },
    );
    const { host, port } = options.server;
    const url = await app.listen({ host, port }).catch(async (error: unknown) => {
      await app.close();
      throw listenError(error, host, port) ?? error;
    });
    const replica = randomUUID();
    const loops = startLoops(
      { ...ctx, ...writes },
      () => targets,
      { ...options, replica, onPruned },
      logger,
    );
    logger.info(
      {
        url,
        slos: engine.slos.length,
        attempts: engine.attemptCount,
        database: store.dialect,
        // The owner of the alert evaluator's lease when this replica holds it (table leases).
        replica,
      },
      "deployslo is serving",
    );
    return {
      app,
      url,
      logger,
      async reload() {
        await reloadTokens(options, authorize, logger);
        const next = await reloadSpecs(options, env, engine, logger);
        if (next !== undefined) targets = next;
        return next !== undefined;
      },
      async close() {
        await loops.stop();
        await app.close();
        await attemptBatches.close();
        await store.close();
      },
    };
  } catch (error) {
    await attemptBatches.close();
    await store.close();
    throw error;
  }
}
