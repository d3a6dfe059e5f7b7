import { afterEach, expect, it } from "vitest";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import {
  call,
  pollUntil,
  type SpawnedServer,
  spawnServer,
  stopAllServers,
} from "../support/spawn-server.js";

// kill -9 of `deployslo serve` in the middle of concurrent ingestion (records, events and
// OTLP spans) loses no acknowledged attempt, event or span (docs/operations.md,
// "Durability"), and leaves a database the next server
// opens and answers from, on both dialects.

const SPEC = "test/fixtures/slos.yaml";
const CLIENTS = 4;
/** Load runs at least this long, and until MIN_ACKED ids are acknowledged (at most MAX_LOAD_MS). */
const LOAD_MS = 1_500;
const MIN_ACKED = 50;
const MAX_LOAD_MS = 10_000;
const MAX_ROUNDS = 100_000;
const REQUEST_TIMEOUT_MS = 5_000;
const RECORDS_PER_BATCH = 5;
const ATTEMPTS_PER_EVENT_BATCH = 3;

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, "0");
const nanos = (ms: number) => `${ms}000000`;
const text = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** OTLP/HTTP JSON for attempts as a CI system traces them: a pipeline run and its probe. */
function otlpBody(
  ids: readonly string[],
  times: readonly { startedAt: number; servingAt: number }[],
  round: number,
) {
  return {
    resourceSpans: ids.map((id, i) => {
      const traceId = hex(round * 1000 + i + 1, 32);
      const time = times[i] ?? { startedAt: 0, servingAt: 0 };
      return {
        resource: {
          attributes: [
            text("deployslo.attempt.id", id),
            text("deployslo.model", "crash-model"),
            text("deployslo.model.version", String(round)),
            text("deployment.environment.name", "production"),
          ],
        },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: hex(1, 16),
                name: "RUN deploy",
                kind: 2,
                startTimeUnixNano: nanos(time.startedAt),
                endTimeUnixNano: nanos(time.servingAt + 1000),
                attributes: [text("cicd.pipeline.result", "success")],
              },
              {
                traceId,
                spanId: hex(2, 16),
                parentSpanId: hex(1, 16),
                name: "probe",
                kind: 1,
                startTimeUnixNano: nanos(time.servingAt - 1000),
                endTimeUnixNano: nanos(time.servingAt),
                attributes: [{ key: "deployslo.probe", value: { boolValue: true } }],
              },
            ],
          },
        ],
      };
    }),
  };
}

interface Listed {
  id: string;
  servingAt?: string;
  outcome: string;
}

/** Every attempt the server lists, paging with its cursor (bounded). */
async function listAll(server: SpawnedServer): Promise<Listed[]> {
  const all: Listed[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const reply = await call(server.url, "GET", `/api/v1/attempts?limit=1000${query}`);
    expect(reply.status, reply.text).toBe(200);
    const body = reply.json as { attempts: Listed[]; nextCursor: string | null };
    all.push(...body.attempts);
    cursor = body.nextCursor;
    if (cursor === null) return all;
  }
  throw new Error("more than 200 pages of attempts");
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    afterEach(stopAllServers);

    it("keeps every acknowledged write across kill -9 mid-load", { timeout: 60_000 }, async () => {
      const serve = () =>
        spawnServer({ config: [SPEC], database: db.location(), args: ["--log-level", "warn"] });
      const first = await serve();
      const now = Date.now();
      let sequence = 0;
      const attempt = () => {
        const startedAt = now - 3_600_000 + sequence++ * 10;
        return { startedAt, servingAt: startedAt + 60_000 };
      };

      const sent = new Set<string>();
      const acked = new Map<string, "record" | "events" | "otlp">();
      const lastAcked: string[] = [];
      const unexpected: string[] = [];
      let stopping = false;
      let inFlight = 0;

      async function client(c: number): Promise<void> {
        for (let round = 0; round < MAX_ROUNDS && !stopping; round++) {
          const mode = (["record", "events", "otlp"] as const)[round % 3] ?? "record";
          const viaEvents = mode === "events";
          const count = mode === "record" ? RECORDS_PER_BATCH : ATTEMPTS_PER_EVENT_BATCH;
          const ids = Array.from({ length: count }, (_, i) => `k${c}-${round}-${i}`);
          const times = ids.map(attempt);
          const body =
            mode === "otlp"
              ? otlpBody(ids, times, c * MAX_ROUNDS + round)
              : viaEvents
                ? ids.flatMap((id, i) => [
                    {
                      id: `${id}:started`,
                      type: "attempt.started",
                      attemptId: id,
                      at: new Date(times[i]?.startedAt ?? 0).toISOString(),
                      model: "crash-model",
                      version: String(round),
                      environment: "production",
                    },
                    {
                      id: `${id}:serving`,
                      type: "attempt.serving",
                      attemptId: id,
                      at: new Date(times[i]?.servingAt ?? 0).toISOString(),
                    },
                  ])
                : ids.map((id, i) => ({
                    id,
                    model: "crash-model",
                    version: String(round),
                    environment: "production",
                    startedAt: new Date(times[i]?.startedAt ?? 0).toISOString(),
                    servingAt: new Date(times[i]?.servingAt ?? 0).toISOString(),
                  }));
          for (const id of ids) sent.add(id);
          inFlight++;
          try {
            const path =
              mode === "otlp" ? "/v1/traces" : viaEvents ? "/api/v1/events" : "/api/v1/attempts";
            const reply = await call(first.url, "POST", path, body, REQUEST_TIMEOUT_MS);
            if (reply.status !== 200) {
              unexpected.push(`${path} answered ${reply.status}: ${reply.text}`);
              return;
            }
            if (mode === "otlp") {
              // Full success: an ExportTraceServiceResponse without partialSuccess.
              if (reply.text !== "{}") unexpected.push(`${path} answered ${reply.text}`);
            } else {
              const accepted = (reply.json as { accepted: number }).accepted;
              if (accepted !== (body as unknown[]).length) {
                unexpected.push(
                  `${path} accepted ${accepted} of ${(body as unknown[]).length}: ${reply.text}`,
                );
              }
            }
            for (const id of ids) acked.set(id, mode);
            lastAcked[c] = ids[ids.length - 1] ?? "";
          } catch (error) {
            // Requests in flight when the server dies fail; that is expected then, never before.
            if (!stopping) unexpected.push(`client ${c}: ${(error as Error).message}`);
            return;
          } finally {
            inFlight--;
          }
        }
      }

      const load = Array.from({ length: CLIENTS }, (_, c) => client(c));
      const begin = performance.now();
      try {
        await pollUntil(
          () => `${MIN_ACKED} acknowledged ids (got ${acked.size}; ${unexpected.join("; ")})`,
          async () =>
            (performance.now() - begin >= LOAD_MS && acked.size >= MIN_ACKED) ||
            unexpected.length > 0 ||
            undefined,
          { timeoutMs: MAX_LOAD_MS, intervalMs: 50 },
        );
      } finally {
        // No new requests from here on; the ones in flight meet the kill.
        stopping = true;
      }
      const inFlightAtKill = inFlight;
      const killed = await first.stop("SIGKILL");
      await Promise.all(load);

      expect(killed.signal).toBe("SIGKILL");
      expect(unexpected, first.logs()).toEqual([]);
      expect(inFlightAtKill, "the kill came while requests were in flight").toBeGreaterThan(0);
      expect(acked.size, "enough load was acknowledged before the kill").toBeGreaterThanOrEqual(
        MIN_ACKED,
      );

      const second = await serve();
      const ready = await call(second.url, "GET", "/readyz");
      expect(ready.status, ready.text).toBe(200);

      const listed = await listAll(second);
      const listedIds = new Set(listed.map((a) => a.id));
      expect(listedIds.size, "no attempt is listed twice").toBe(listed.length);
      const lost = [...acked.keys()].filter((id) => !listedIds.has(id));
      expect(lost, `acknowledged but lost after kill -9 (of ${acked.size})`).toEqual([]);
      const unknown = [...listedIds].filter((id) => !sent.has(id));
      expect(unknown, "attempts nobody sent").toEqual([]);
      // An event batch is one transaction: its attempts are whole (started and serving) or absent.
      const partial = listed.filter((a) => a.servingAt === undefined || a.outcome !== "succeeded");
      expect(partial).toEqual([]);

      for (const id of lastAcked) {
        const one = await call(second.url, "GET", `/api/v1/attempts/${id}`);
        expect(one.status, `${id}: ${one.text}`).toBe(200);
        expect(one.json).toMatchObject({ id, model: "crash-model", outcome: "succeeded" });
      }

      // The restarted server's SLO view agrees with its store: every listed attempt is a
      // production attempt served within the threshold, inside prod-deploys' 7-day window.
      const at = new Date(now).toISOString();
      const slos = await call(second.url, "GET", `/api/v1/slos?at=${at}`);
      expect(slos.status, slos.text).toBe(200);
      const prod = (slos.json as { slos: { name: string; eligible: number; bad: number }[] }).slos;
      expect(prod.find((slo) => slo.name === "prod-deploys")).toMatchObject({
        eligible: listed.length,
        bad: 0,
      });

      // And it takes new writes.
      const after = await call(second.url, "POST", "/api/v1/attempts", {
        id: "after-restart",
        model: "crash-model",
        version: "1",
        environment: "production",
        startedAt: new Date(now - 60_000).toISOString(),
        servingAt: new Date(now - 30_000).toISOString(),
      });
      expect(after.json).toEqual({ accepted: 1, inserted: 1, updated: 0 });
      expect((await call(second.url, "GET", "/api/v1/attempts/after-restart")).status).toBe(200);
      expect((await second.stop("SIGTERM")).code).toBe(0);
    });
  });
}
