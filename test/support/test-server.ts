import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { systemClock } from "../../src/clock/clock.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../../src/core/attempt/record-limits.js";
import type { Slo } from "../../src/core/spec/slo.js";
import {
  type AttemptBatchDecoder,
  attemptBatchDecoder,
} from "../../src/ingest/attempt-batch-decoder.js";
import { EventWriter } from "../../src/ingest/event-writer.js";
import {
  type HookSettings,
  signedHookSources,
} from "../../src/integrations/hooks/hook-settings.js";
import {
  addHistoryFigures,
  historyFigures,
} from "../../src/integrations/prometheus/verdict-counters.js";
import { authorizer } from "../../src/server/auth.js";
import { buildServer } from "../../src/server/build-server.js";
import { type ApiToken, DEFAULT_BODY_LIMIT } from "../../src/server/server-config.js";
import { sloMetrics } from "../../src/server/slo-metrics.js";
import { silentLogger } from "../../src/services/service-logger.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import type { Store } from "../../src/store/store.js";

/** An in-process server over a real store, for `inject` tests. */
export async function testServer(
  store: Store,
  slos: readonly Slo[],
  options: {
    tokens?: ApiToken[];
    now?: number;
    /** A moving clock, for tests whose time passes; default: always `now`. */
    clock?: () => number;
    bodyLimitBytes?: number;
    recordLimits?: RecordLimits;
    /** Webhook secrets and MLflow's alias mapping (POST /api/v1/hooks). */
    hooks?: HookSettings;
    /** Default: decode every batch inline (worker threads need the built dist/). */
    attemptBatches?: AttemptBatchDecoder;
    /** buildServer's own options: a logger, the dashboard's directory, the slow-request mark. */
    server?: Parameters<typeof buildServer>[1];
  } = {},
): Promise<{ app: FastifyInstance; engine: SloEngine }> {
  const now = options.now ?? Date.parse("2026-10-14T09:30:00Z");
  const clock = { now: options.clock ?? (() => now), sleep: systemClock.sleep };
  const engine = new SloEngine(store, slos, clock);
  await engine.refresh();
  const app = await buildServer(
    {
      config: {
        host: "127.0.0.1",
        port: 0,
        bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
        recordLimits: options.recordLimits ?? DEFAULT_RECORD_LIMITS,
        tokens: options.tokens ?? [],
        insecure: false,
        ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
      },
      store,
      engine,
      clock,
      random: () => 0.5,
      logger: silentLogger,
      events: new EventWriter(store, options.recordLimits ?? DEFAULT_RECORD_LIMITS),
      attemptBatches:
        options.attemptBatches ??
        attemptBatchDecoder({ workers: 0, limits: options.recordLimits ?? DEFAULT_RECORD_LIMITS }),
      authorize: authorizer(options.tokens ?? [], clock, signedHookSources(options.hooks)),
      metrics: sloMetrics(
        () => engine.status(clock.now()),
        () =>
          engine.overAllHistory(
            (all, tables) => historyFigures(all, tables, clock.now()),
            addHistoryFigures,
          ),
      ),
      newId: () => randomUUID(),
      ready: () => true,
    },
    { checkResponses: true, ...options.server },
  );
  return { app, engine };
}
