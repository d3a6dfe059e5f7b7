import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INLINE_BELOW_BYTES } from "../../src/ingest/attempt-batch-decoder.js";
import { generateHistory } from "../../src/sample/generate-history.js";
import {
  call,
  pollUntil,
  runServeToExit,
  type SpawnedServer,
  spawnServer,
  stopAllServers,
} from "../support/spawn-server.js";

// `deployslo serve` as a process (SQLite): startup, sample data, refusals, SIGHUP reloads,
// graceful stops and startup errors (docs/operations.md).

const SPEC = "test/fixtures/slos.yaml";
const INVALID_SPEC = "test/fixtures/slos-invalid.yaml";
const FIXTURE = readFileSync("test/fixtures/attempts.ndjson", "utf8");
const AT = "2026-10-14T09:30:00Z";
const FIXTURE_SLOS = ["prod-deploys", "prod-excess", "fraud-p95", "provision-stage"];
const TEST_TIMEOUT = { timeout: 30_000 };
const DEBUG_LOG = ["--log-level", "debug"];

interface SloSummary {
  name: string;
  eligible: number;
  bad: number;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-serve-"));
});

afterEach(async () => {
  // Servers first: they hold the database files.
  await stopAllServers();
  await rm(dir, { recursive: true, force: true });
});

async function slos(server: SpawnedServer, at?: string): Promise<SloSummary[]> {
  const reply = await call(server.url, "GET", `/api/v1/slos${at === undefined ? "" : `?at=${at}`}`);
  expect(reply.status, reply.text).toBe(200);
  return (reply.json as { slos: SloSummary[] }).slos;
}

/** The pino JSON lines a server logged, parsed (other lines skipped). */
function logLines(server: SpawnedServer): Record<string, unknown>[] {
  return server
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** The first log line whose message is `msg`, or matches it. */
const findLog = (server: SpawnedServer, msg: string | RegExp) =>
  logLines(server).find((line) =>
    typeof msg === "string" ? line.msg === msg : msg.test(String(line.msg)),
  );

/** The log line with this message, once it has come through the stdout pipe (bounded wait). */
const waitForLog = (server: SpawnedServer, msg: string | RegExp) =>
  pollUntil(
    () => `the log line ${msg}\n${server.logs()}`,
    async () => findLog(server, msg),
    { timeoutMs: 5_000, intervalMs: 50 },
  );

describe("deployslo serve", () => {
  it(
    "starts on a free loopback port, is ready, and says where it serves",
    TEST_TIMEOUT,
    async () => {
      const database = join(dir, "nested", "store.db");
      const server = await spawnServer({ config: [SPEC], database });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.stderr()).toContain(`deployslo: serving ${server.url} (database ${database})`);
      expect(await waitForLog(server, "deployslo is serving")).toMatchObject({
        url: server.url,
        slos: FIXTURE_SLOS.length,
        attempts: 0,
        database: "sqlite",
      });
      expect(existsSync(database), "the database file and its folder are created").toBe(true);

      const ready = await call(server.url, "GET", "/readyz");
      expect(ready.status).toBe(200);
      expect(ready.json).toEqual({ status: "ready", database: true, loaded: true });
      expect((await call(server.url, "GET", "/healthz")).json).toEqual({ status: "ok" });
      expect((await slos(server)).map((slo) => slo.name)).toEqual(FIXTURE_SLOS);
    },
  );

  it(
    "loads sample data with --sample-data into its own file; a plain serve has none",
    TEST_TIMEOUT,
    async () => {
      // Both without --database, in one working directory: each picks its default file.
      const config = [resolve("examples/slos.yaml")];
      const [sample, plain] = await Promise.all([
        spawnServer({ config, cwd: dir, args: ["--sample-data"] }),
        spawnServer({ config, cwd: dir }),
      ]);
      if (sample === undefined || plain === undefined) throw new Error("two servers expected");
      expect(existsSync(join(dir, ".deployslo", "sample.db"))).toBe(true);
      expect(existsSync(join(dir, ".deployslo", "deployslo.db"))).toBe(true);
      expect(await waitForLog(sample, /SAMPLE data.*\.deployslo\/sample\.db/)).toMatchObject({
        level: 40, // a warning
      });

      const sampleSlos = await slos(sample);
      expect(sampleSlos.length).toBeGreaterThan(0);
      // Rolling 30-day windows over 60 days of history ending now are never empty.
      for (const name of ["prod-deploys", "staging-deploys"]) {
        expect(sampleSlos.find((slo) => slo.name === name)?.eligible, name).toBeGreaterThan(0);
      }
      const page = await call(sample.url, "GET", "/api/v1/attempts?limit=1000");
      const attempts = (page.json as { attempts: { attributes?: Record<string, unknown> }[] })
        .attempts;
      expect(attempts.length).toBeGreaterThan(100);
      expect(attempts.filter((attempt) => attempt.attributes?.sample !== true)).toEqual([]);

      expect((await call(plain.url, "GET", "/api/v1/attempts")).json).toEqual({
        attempts: [],
        nextCursor: null,
      });
      expect(await waitForLog(plain, "deployslo is serving")).toMatchObject({ attempts: 0 });
      expect((await slos(plain)).filter((slo) => slo.eligible !== 0)).toEqual([]);
    },
  );

  it(
    "decodes large batches on --ingest-workers threads and stores every stage",
    TEST_TIMEOUT,
    async () => {
      const server = await spawnServer({
        config: [SPEC],
        database: join(dir, "store.db"),
        args: ["--ingest-workers", "2"],
      });
      const records = [
        ...generateHistory({
          seed: 9,
          start: Date.parse("2026-10-01T00:00:00Z"),
          days: 2,
          attemptsPerDay: 250,
          withStages: true,
        }),
      ];
      const body = records.map((record) => JSON.stringify(record)).join("\n");
      expect(body.length).toBeGreaterThan(INLINE_BELOW_BYTES);
      const posts = await Promise.all(
        [body, JSON.stringify(records)].map((payload, i) =>
          call(server.url, "POST", "/api/v1/attempts", i === 0 ? payload : records),
        ),
      );
      for (const post of posts) {
        expect(post.status, post.text).toBe(200);
        expect(post.json).toMatchObject({ accepted: records.length });
      }
      const sample = records[records.length - 1];
      const stored = await call(server.url, "GET", `/api/v1/attempts/${sample?.id}`);
      expect(stored.json).toEqual(sample);
    },
  );

  it(
    "refuses --ingest-workers that is not a whole number, with exit code 2",
    TEST_TIMEOUT,
    async () => {
      const run = await runServeToExit({
        config: [SPEC],
        database: join(dir, "store.db"),
        args: ["--ingest-workers", "-1"],
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        '--ingest-workers must be a whole number from 0 to 64, got "-1"',
      );
    },
  );

  it(
    "says a busy port is in use and which option changes it, before touching any data",
    TEST_TIMEOUT,
    async () => {
      const first = await spawnServer({ config: [SPEC], database: join(dir, "first.db") });
      const port = new URL(first.url).port;
      const database = join(dir, "second.db");
      const run = await runServeToExit({ config: [SPEC], database, args: ["--port", port] });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port}: port ${port} is in use`);
      expect(run.stderr).toContain("--port");
      expect(run.stderr).not.toContain("internal error");
      expect(existsSync(database)).toBe(false);
    },
  );

  it("--sample-data never rewrites a database another server has open", TEST_TIMEOUT, async () => {
    const database = join(dir, "shared.db");
    const config = [resolve("examples/slos.yaml")];
    const running = await spawnServer({ config, database, args: ["--sample-data"] });
    const before = await call(running.url, "GET", "/api/v1/attempts?limit=50");
    expect(before.status).toBe(200);
    const run = await runServeToExit({ config, database, args: ["--sample-data"] });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `refusing to load sample data into ${database}: another process has it open`,
    );
    const after = await call(running.url, "GET", "/api/v1/attempts?limit=50");
    expect(after.json).toEqual(before.json);
  });

  it("refuses an --alert-interval under a second, with exit code 2", TEST_TIMEOUT, async () => {
    const run = await runServeToExit({
      config: [SPEC],
      database: join(dir, "store.db"),
      args: ["--alert-interval", "500ms"],
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      '--alert-interval must be a duration of at least 1s, e.g. 30s; got "500ms"',
    );
    expect(run.stderr).not.toContain("serving");
  });

  it("refuses --host 0.0.0.0 without API tokens, with exit code 2", TEST_TIMEOUT, async () => {
    const run = await runServeToExit({
      config: [SPEC],
      database: join(dir, "store.db"),
      args: ["--host", "0.0.0.0"],
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      "deployslo: refusing to listen on 0.0.0.0 without API tokens: anyone who can reach it could write attempts.",
    );
    expect(run.stderr).not.toContain("serving");
    expect(run.stdout).not.toContain("listening");
  });

  it("applies a valid changed spec file on SIGHUP", TEST_TIMEOUT, async () => {
    const spec = join(dir, "slos.yaml");
    await copyFile(SPEC, spec);
    const server = await spawnServer({ config: [spec], database: join(dir, "store.db") });
    const posted = await call(server.url, "POST", "/api/v1/attempts", FIXTURE);
    expect(posted.status, posted.text).toBe(200);

    // A stage no SLO measured before: the reload must re-read the stored attempts for it.
    await writeFile(
      spec,
      `${readFileSync(SPEC, "utf8")}---
apiVersion: deployslo/v1
kind: SLO
metadata:
  name: validate-stage
spec:
  indicator: { stage: validate }
  objective: { threshold: 1m, target: 90% }
  window: 7d
`,
    );
    server.process.kill("SIGHUP");
    const reloaded = await pollUntil("the reloaded SLOs", async () => {
      const current = await slos(server, AT);
      return current.some((slo) => slo.name === "validate-stage") ? current : undefined;
    });
    expect(reloaded.map((slo) => slo.name)).toEqual([...FIXTURE_SLOS, "validate-stage"]);
    // a4's validate stage failed: one eligible, bad attempt.
    expect(reloaded.find((slo) => slo.name === "validate-stage")).toMatchObject({
      eligible: 1,
      bad: 1,
    });
    expect(await waitForLog(server, /reloaded SLO specs/)).toMatchObject({
      slos: [...FIXTURE_SLOS, "validate-stage"],
    });
    expect(server.process.exitCode).toBeNull();
  });

  it(
    "keeps the old SLOs on SIGHUP with an invalid spec, logging file:line:column",
    TEST_TIMEOUT,
    async () => {
      const spec = join(dir, "slos.yaml");
      await copyFile(SPEC, spec);
      const server = await spawnServer({ config: [spec], database: join(dir, "store.db") });
      await call(server.url, "POST", "/api/v1/attempts", FIXTURE);
      const before = await slos(server, AT);

      await copyFile(INVALID_SPEC, spec);
      server.process.kill("SIGHUP");
      const logged = await waitForLog(server, /kept the previous SLO specs/);
      expect(logged.level, "logged as an error").toBe(50);
      // Every error of the new file, located: file:line:column (as `deployslo validate` says).
      for (const location of ["4:9", "8:16", "9:13", "10:3"]) {
        expect(server.stdout()).toContain(`${spec}:${location}: error: `);
      }
      expect(server.stdout()).not.toContain(`${spec}:18:39: error`); // a warning, not an error

      expect(await slos(server, AT)).toEqual(before);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
      expect(server.process.exitCode).toBeNull();
    },
  );

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops gracefully on %s with exit code 0",
    TEST_TIMEOUT,
    async (signal) => {
      const server = await spawnServer({ config: [SPEC], database: join(dir, "store.db") });
      expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
      const begin = performance.now();
      const exit = await server.stop(signal, 5_000);
      expect(exit, server.logs()).toEqual({ code: 0, signal: null });
      expect(performance.now() - begin).toBeLessThan(5_000);
      expect(findLog(server, "shutting down")).toBeDefined();
      await expect(call(server.url, "GET", "/healthz", undefined, 2_000)).rejects.toThrow();
    },
  );

  /**
   * POSTs `count` records, sending SIGTERM while the request is certainly in flight: half the
   * body is sent, the server logs the request, gets the signal, and only then the rest follows.
   */
  async function postAcrossSigterm(server: SpawnedServer, count: number, agent: Agent) {
    const records = Array.from({ length: count }, (_, i) => ({
      id: `inflight-${i}`,
      model: "fraud-detector",
      version: String(i),
      environment: "production",
      startedAt: "2026-10-14T09:00:00Z",
      servingAt: "2026-10-14T09:01:00Z",
    }));
    const body = JSON.stringify(records);
    const request = httpRequest(new URL("/api/v1/attempts", server.url), {
      agent,
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      signal: AbortSignal.timeout(15_000),
    });
    const answered = new Promise<{ status: number | undefined; text: string }>((done, fail) => {
      request.on("error", fail);
      request.on("response", (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("error", fail);
        response.on("end", () => done({ status: response.statusCode, text }));
      });
    });
    const half = Math.floor(body.length / 2);
    request.write(body.slice(0, half));
    await pollUntil("the server to start on the request", async () =>
      logLines(server).find(
        (line) =>
          line.msg === "incoming request" && (line.req as { method?: string }).method === "POST",
      ),
    );
    server.process.kill("SIGTERM");
    await waitForLog(server, "shutting down");
    request.end(body.slice(half));
    return answered;
  }

  it("finishes a request in flight at SIGTERM before exiting", TEST_TIMEOUT, async () => {
    const database = join(dir, "store.db");
    // Debug level: the "incoming request" line tells when the server has the request.
    const server = await spawnServer({ config: [SPEC], database, args: DEBUG_LOG });
    const agent = new Agent({ keepAlive: false });
    try {
      const reply = await postAcrossSigterm(server, 1_000, agent);
      expect(reply.status, reply.text).toBe(200);
      expect(JSON.parse(reply.text)).toEqual({ accepted: 1_000, inserted: 1_000, updated: 0 });
      expect(await server.stop("SIGTERM", 5_000)).toEqual({ code: 0, signal: null });
    } finally {
      agent.destroy();
    }
    const again = await spawnServer({ config: [SPEC], database });
    const stored = await call(again.url, "GET", "/api/v1/attempts?limit=1000");
    expect((stored.json as { attempts: unknown[] }).attempts).toHaveLength(1_000);
  });

  // A reply sent while closing carries `Connection: close`; otherwise the server would wait for
  // the client's idle keep-alive connection (Fastify's keepAliveTimeout, 72 s) before exiting.
  it(
    "exits promptly on SIGTERM when a keep-alive client had a request in flight",
    TEST_TIMEOUT,
    async () => {
      const server = await spawnServer({
        config: [SPEC],
        database: join(dir, "store.db"),
        args: DEBUG_LOG,
      });
      const agent = new Agent({ keepAlive: true });
      try {
        const reply = await postAcrossSigterm(server, 10, agent);
        expect(reply.status, reply.text).toBe(200);
        expect(await server.stop("SIGTERM", 5_000)).toEqual({ code: 0, signal: null });
      } finally {
        agent.destroy();
      }
    },
  );

  it("exits 1 on an invalid --config, printing its diagnostics", TEST_TIMEOUT, async () => {
    const run = await runServeToExit({ config: [INVALID_SPEC], database: join(dir, "store.db") });
    expect(run.code, run.stderr).toBe(1);
    const golden = readFileSync("test/golden/evaluate-invalid-config.stderr", "utf8")
      .split("\n")
      .filter((line) => line.includes(": error: "));
    expect(golden).toHaveLength(4);
    for (const line of golden) expect(run.stderr).toContain(line);
    expect(run.stderr).not.toContain("serving");
  });

  it(
    "exits non-zero at once when PostgreSQL cannot be reached, naming the host",
    TEST_TIMEOUT,
    async () => {
      const run = await runServeToExit(
        { config: [SPEC], database: "postgres://postgres:not-shown-secret@127.0.0.1:1/x" },
        15_000,
      );
      expect(run.code, run.stderr).toBe(1);
      expect(run.ms).toBeLessThan(10_000);
      // One line saying what failed and where (host and port), e.g.
      // "deployslo: cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/x: …".
      expect(run.stderr).toMatch(/^deployslo: cannot connect to PostgreSQL\b.*127\.0\.0\.1:1\b/m);
      expect(run.stderr).not.toContain("not-shown-secret");
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).not.toContain("internal error");
      expect(run.stdout).not.toContain("listening");
    },
  );
});
