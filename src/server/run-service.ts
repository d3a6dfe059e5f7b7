import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import {
  loadNotificationTargets,
  resolveNotificationTargets,
} from "../config/load-notification-targets.js";
import { loadSloSpecs } from "../config/load-slo-specs.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import { attemptBatchDecoder, defaultIngestWorkers } from "../ingest/attempt-batch-decoder.js";
import { EventWriter } from "../ingest/event-writer.js";
import {
  DEFAULT_ALERT_INTERVAL_MS,
  startAlertEvaluationLoop,
} from "../jobs/alert-evaluation-loop.js";
import {
  DEFAULT_TIMEOUT_INTERVAL_MS,
  startInProgressTimeoutLoop,
} from "../jobs/in-progress-timeout-loop.js";
import { startNotificationDelivery } from "../jobs/start-notification-delivery.js";
import { loadSampleData } from "../services/load-sample-data.js";
import { SloEngine } from "../services/slo-engine.js";
import { sqliteOpenElsewhere } from "../store/dialects/sqlite-open-elsewhere.js";
import { isPostgresUrl, openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { authorizer } from "./auth.js";
import { buildServer } from "./build-server.js";
import { checkPortAvailable } from "./check-port-available.js";
import { listenError } from "./listen-error.js";
import { checkExposure, type ServerConfig } from "./server-config.js";
import { sloMetrics } from "./slo-metrics.js";

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
  /** Worker threads decoding attempt batches (0: on the event loop); default defaultIngestWorkers(). */
  readonly ingestWorkers?: number;
}

export interface RunningService {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly logger: Logger;
  /** Re-reads the SLO specs; keeps the old ones (and says why) when the new ones are invalid. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

async function loadValidSpecs(files: readonly string[]) {
  const specs = await loadSloSpecs(files);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in SLO specs`,
      errors.map(formatDiagnostic),
    );
  }
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

/** The background work of the service: notification delivery, alert evaluation, timeouts. */
function startLoops(
  store: Store,
  engine: SloEngine,
  targets: () => ReadonlyMap<string, ResolvedTarget>,
  options: ServiceOptions & { replica: string },
  logger: Logger,
): { stop(): Promise<void> } {
  const delivery = startNotificationDelivery(
    store,
    targets,
    logger.child({ component: "notifications" }),
  );
  const alerts = startAlertEvaluationLoop(
    { store, engine, owner: options.replica },
    { intervalMs: options.alertIntervalMs ?? DEFAULT_ALERT_INTERVAL_MS, now: () => Date.now() },
    logger.child({ component: "alerts" }),
  );
  const timeouts = startInProgressTimeoutLoop(
    { store, engine },
    { intervalMs: DEFAULT_TIMEOUT_INTERVAL_MS, now: () => Date.now() },
    logger.child({ component: "timeouts" }),
  );
  return {
    async stop() {
      await alerts.stop();
      await timeouts.stop();
      await delivery.stop();
    },
  };
}

/**
 * Starts `deployslo serve`: validates the SLO specs, checks that the port is free, opens the
 * store (running migrations), loads the stored attempts into the engine, and listens. Fails
 * before listening on any error, and before touching any data when the port is taken.
 */
export async function runService(options: ServiceOptions): Promise<RunningService> {
  const logger = pino({ level: options.logLevel, base: { service: "deployslo" } });
  checkExposure(options.server);
  await checkPortAvailable(options.server.host, options.server.port);
  const specs = await loadValidSpecs(options.configFiles);
  for (const warning of specs.diagnostics) logger.warn(formatDiagnostic(warning));
  const env = options.env ?? process.env;
  const loadedTargets = await loadValidTargets(options.configFiles, env);
  for (const warning of loadedTargets.warnings) logger.warn(formatDiagnostic(warning));
  let targets: ReadonlyMap<string, ResolvedTarget> = loadedTargets.targets;
  const attemptBatches = attemptBatchDecoder({
    workers: options.ingestWorkers ?? defaultIngestWorkers(),
  });
  if (options.sampleData) checkSampleDataTarget(options.database);
  const store: Store = await openStore(options.database);
  let loaded = false;
  const engine = new SloEngine(store, specs.slos);
  try {
    if (options.sampleData) {
      const count = await loadSampleData(store, Date.now());
      logger.warn(
        { attempts: count },
        "loaded SAMPLE data (generated, not real) into %s",
        options.database,
      );
    }
    await engine.refresh();
    // Builds the per-SLO bucket aggregates now, so the first status request is as fast as the rest.
    await engine.status(Date.now());
    loaded = true;
    const app = await buildServer(
      {
        config: options.server,
        store,
        engine,
        events: new EventWriter(store),
        attemptBatches,
        authorize: authorizer(options.server.tokens),
        metrics: sloMetrics(() => engine.status(Date.now())),
        now: () => Date.now(),
        newId: () => randomUUID(),
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
    const loops = startLoops(store, engine, () => targets, { ...options, replica }, logger);
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
        try {
          const next = await loadValidSpecs(options.configFiles);
          const nextTargets = await loadValidTargets(options.configFiles, env);
          await engine.setSlos(next.slos);
          targets = nextTargets.targets;
          logger.info(
            { slos: next.slos.map((slo) => slo.name), notificationTargets: [...targets.keys()] },
            "reloaded SLO specs",
          );
          return true;
        } catch (error) {
          const details = error instanceof DeploysloError ? error.details : [];
          logger.error(
            { error: (error as Error).message, details },
            "kept the previous SLO specs: the new ones are invalid",
          );
          return false;
        }
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
