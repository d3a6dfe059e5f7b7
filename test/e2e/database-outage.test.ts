import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import {
  type PrivatePostgres,
  privatePostgresUnavailable,
  startPrivatePostgres,
} from "../support/private-postgres.js";
import {
  call,
  pollUntil,
  type Reply,
  type SpawnedServer,
  spawnServer,
  stopAllServers,
} from "../support/spawn-server.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// The service survives its database (docs/operations.md, "Failure modes"): with PostgreSQL's
// sessions terminated, or PostgreSQL away for a while, under 4-client ingest, `serve` stays
// up, answers 503 problem documents with Retry-After meanwhile, /readyz says so, it reconnects
// by itself once the database is back, and every acknowledged attempt is readable afterwards.
//
// Every fault touches only this test's server. Other test files share the PostgreSQL server
// and run at the same time, so that server is never restarted: the sessions terminated there
// are the ones carrying this test's application_name, the outage is a TCP proxy between the
// service and PostgreSQL going away (resetting the open connections and refusing new ones),
// and the real restart (`pg_ctl restart -m fast`, what `pg_ctlcluster … restart` runs) is of
// a private PostgreSQL this test starts with initdb on a free port.

const SPEC = "test/fixtures/slos.yaml";
const CLIENTS = 4;
/** A request slower than this is a hang (the pool gives up connecting after 10 s). */
const REQUEST_TIMEOUT_MS = 15_000;
const RECORDS_PER_BATCH = 5;
/** The service must take writes again this soon after the database is back. */
const RECOVERY_MS = 5_000;

const postgres = DIALECTS.filter((dialect) => dialect.name === "postgres");

interface Load {
  readonly acked: Set<string>;
  readonly sent: Set<string>;
  /** Statuses and their counts. */
  readonly statuses: Map<number, number>;
  readonly unexpected: string[];
  /** performance.now() of the latest acknowledged write. */
  lastAckAt(): number;
  stop(): Promise<void>;
}

/** 4 clients posting records and events until stopped; 503 is an answer, a hang is not. */
function startLoad(server: SpawnedServer): Load {
  const acked = new Set<string>();
  const sent = new Set<string>();
  const statuses = new Map<number, number>();
  const unexpected: string[] = [];
  const now = Date.now();
  let stopping = false;
  let sequence = 0;
  let lastAck = 0;
  const check503 = (reply: Reply, path: string) => {
    const retryAfter = reply.headers.get("retry-after");
    const problem = reply.json as { code?: string } | undefined;
    if (retryAfter === null || !/^\d+$/.test(retryAfter) || problem?.code !== "STORE_UNAVAILABLE") {
      unexpected.push(`${path} 503 without Retry-After or STORE_UNAVAILABLE: ${reply.text}`);
    }
  };
  async function client(c: number): Promise<void> {
    for (let round = 0; !stopping; round++) {
      const viaEvents = round % 2 === 1;
      const ids = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => `f${c}-${round}-${i}`);
      const startedAt = now - 3_600_000 + sequence++ * 10;
      const body = viaEvents
        ? ids.flatMap((id) => [
            {
              id: `${id}:started`,
              type: "attempt.started",
              attemptId: id,
              at: new Date(startedAt).toISOString(),
              model: "fault-model",
              version: String(round),
              environment: "production",
            },
            {
              id: `${id}:serving`,
              type: "attempt.serving",
              attemptId: id,
              at: new Date(startedAt + 60_000).toISOString(),
            },
          ])
        : ids.map((id) => ({
            id,
            model: "fault-model",
            version: String(round),
            environment: "production",
            startedAt: new Date(startedAt).toISOString(),
            servingAt: new Date(startedAt + 60_000).toISOString(),
          }));
      for (const id of ids) sent.add(id);
      const path = viaEvents ? "/api/v1/events" : "/api/v1/attempts";
      try {
        const reply = await call(server.url, "POST", path, body, REQUEST_TIMEOUT_MS);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status === 200) {
          for (const id of ids) acked.add(id);
          lastAck = performance.now();
        } else if (reply.status === 503) {
          check503(reply, path);
          await new Promise((resolve) => setTimeout(resolve, 50));
        } else {
          unexpected.push(`${path} answered ${reply.status}: ${reply.text}`);
        }
      } catch (error) {
        unexpected.push(`client ${c} ${path}: ${(error as Error).message}`);
        return;
      }
    }
  }
  const running = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return {
    acked,
    sent,
    statuses,
    unexpected,
    lastAckAt: () => lastAck,
    async stop() {
      stopping = true;
      await running;
    },
  };
}

/** Waits until the load has `count` more acknowledged writes than now (or fails). */
async function moreAcks(load: Load, count: number, timeoutMs = 10_000): Promise<void> {
  const target = load.acked.size + count;
  await pollUntil(
    () => `${target} acknowledged ids (got ${load.acked.size}; ${load.unexpected.join("; ")})`,
    async () => load.acked.size >= target || load.unexpected.length > 0 || undefined,
    { timeoutMs, intervalMs: 20 },
  );
}

/** Every acknowledged id is readable, none is listed twice, nothing unsent appears. */
async function expectAllAcknowledgedReadable(server: SpawnedServer, load: Load): Promise<void> {
  const listed: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const reply = await call(server.url, "GET", `/api/v1/attempts?limit=1000${query}`);
    expect(reply.status, reply.text).toBe(200);
    const body = reply.json as { attempts: { id: string }[]; nextCursor: string | null };
    listed.push(...body.attempts.map((a) => a.id));
    cursor = body.nextCursor;
    if (cursor === null) break;
  }
  const ids = new Set(listed);
  expect(ids.size, "no attempt is listed twice").toBe(listed.length);
  const lost = [...load.acked].filter((id) => !ids.has(id));
  expect(lost, `acknowledged but not readable (of ${load.acked.size})`).toEqual([]);
  expect(
    [...ids].filter((id) => !load.sent.has(id)),
    "attempts nobody sent",
  ).toEqual([]);
}

function expectAlive(server: SpawnedServer): void {
  expect(
    server.process.exitCode === null && server.process.signalCode === null,
    `serve is still running\n${server.logs()}`,
  ).toBe(true);
}

async function adminQuery(url: string, text: string, values: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

for (const dialect of postgres) {
  describeDialect(dialect, (db) => {
    let proxy: TcpProxy | undefined;
    afterEach(async () => {
      await stopAllServers();
      await proxy?.close();
      proxy = undefined;
    });

    it("stays up when its sessions are terminated mid-write and reconnects at once", {
      timeout: 60_000,
    }, async () => {
      const applicationName = `deployslo-fault-${randomBytes(6).toString("hex")}`;
      const location = new URL(db.location());
      location.searchParams.set("application_name", applicationName);
      const server = await spawnServer({
        config: [SPEC],
        database: location.toString(),
        args: ["--log-level", "warn"],
      });
      const load = startLoad(server);
      try {
        await moreAcks(load, 40);
        let terminated = 0;
        for (let round = 0; round < 5; round++) {
          // Only this server's sessions: other test files use the same PostgreSQL server.
          terminated += await adminQuery(
            db.location(),
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
            [applicationName],
          );
          await new Promise((resolve) => setTimeout(resolve, 150));
          expectAlive(server);
        }
        expect(terminated, "sessions were terminated under load").toBeGreaterThan(0);
        await moreAcks(load, 20, RECOVERY_MS);
      } finally {
        await load.stop();
      }
      expect(load.unexpected, server.logs()).toEqual([]);
      expectAlive(server);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
      await expectAllAcknowledgedReadable(server, load);
      expect((await server.stop("SIGTERM")).code).toBe(0);
    });

    it("answers 503 with Retry-After while PostgreSQL is away, then recovers by itself", {
      timeout: 60_000,
    }, async () => {
      const direct = new URL(db.location());
      proxy = await startTcpProxy({
        host: direct.hostname,
        port: Number(direct.port === "" ? 5432 : direct.port),
      });
      const viaProxy = new URL(direct);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(proxy.port);
      const server = await spawnServer({
        config: [SPEC],
        database: viaProxy.toString(),
        args: ["--log-level", "warn"],
      });
      const load = startLoad(server);
      let recoveredMs = Number.NaN;
      try {
        await moreAcks(load, 40);
        await proxy.down();
        const downAt = performance.now();
        // Requests already past the reset may still be answered; then nothing is.
        const ready = await pollUntil(
          "/readyz to report the database down",
          async () => {
            const reply = await call(server.url, "GET", "/readyz", undefined, REQUEST_TIMEOUT_MS);
            return reply.status === 503 ? reply : undefined;
          },
          { timeoutMs: 10_000, intervalMs: 100 },
        );
        expect(ready.json).toMatchObject({ status: "not ready", database: false });
        expect(ready.headers.get("retry-after")).toMatch(/^\d+$/);
        const metrics = await call(server.url, "GET", "/metrics", undefined, REQUEST_TIMEOUT_MS);
        expect(metrics.status, metrics.text).toBe(503);
        expect(metrics.headers.get("retry-after")).toMatch(/^\d+$/);
        await pollUntil(
          "503 answers to writes during the outage",
          async () => ((load.statuses.get(503) ?? 0) >= CLIENTS ? true : undefined),
          { timeoutMs: 10_000, intervalMs: 50 },
        );
        expect(load.lastAckAt(), "no write is acknowledged without a database").toBeLessThan(
          downAt + 1_000,
        );
        expectAlive(server);

        await proxy.up();
        const upAt = performance.now();
        await moreAcks(load, 20, RECOVERY_MS + 10_000);
        recoveredMs = load.lastAckAt() - upAt;
      } finally {
        await load.stop();
      }
      expect(load.unexpected, server.logs()).toEqual([]);
      expect(recoveredMs, "writes resume within seconds of the database's return").toBeLessThan(
        RECOVERY_MS,
      );
      expectAlive(server);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
      await expectAllAcknowledgedReadable(server, load);
      expect((await server.stop("SIGTERM")).code).toBe(0);
    });
  });
}

const restartUnavailable = privatePostgresUnavailable();
if (restartUnavailable !== undefined && process.env.CI !== undefined) {
  describe("PostgreSQL restart", () => {
    it("has PostgreSQL's initdb and pg_ctl to start a private server", () => {
      expect.fail(`PostgreSQL's binaries are required in CI: ${restartUnavailable}`);
    });
  });
} else {
  const suite = restartUnavailable === undefined ? describe : describe.skip;
  suite(`PostgreSQL restart${restartUnavailable === undefined ? "" : ` (skipped: ${restartUnavailable})`}`, () => {
    let cluster: PrivatePostgres | undefined;
    afterEach(async () => {
      await stopAllServers();
      await cluster?.destroy();
      cluster = undefined;
    });

    it("stays up across a restart of PostgreSQL under load and reconnects by itself", {
      timeout: 90_000,
    }, async () => {
      cluster = await startPrivatePostgres();
      const server = await spawnServer({
        config: [SPEC],
        database: cluster.url,
        args: ["--log-level", "warn"],
      });
      const load = startLoad(server);
      let recoveredMs = Number.NaN;
      try {
        await moreAcks(load, 40);
        await cluster.restart();
        const upAt = performance.now();
        expectAlive(server);
        await moreAcks(load, 20, RECOVERY_MS + 10_000);
        recoveredMs = load.lastAckAt() - upAt;
      } finally {
        await load.stop();
      }
      expect(load.unexpected, server.logs()).toEqual([]);
      expect(recoveredMs, "writes resume within seconds of the database's return").toBeLessThan(
        RECOVERY_MS,
      );
      expectAlive(server);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
      await expectAllAcknowledgedReadable(server, load);
      expect((await server.stop("SIGTERM")).code).toBe(0);
    });
  });
}
