import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SloReportSchema } from "../../src/contract/slo-report-schema.js";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { parseAttemptRecord } from "../../src/core/attempt/parse-attempt-record.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { BAD_WEEK_SLO, badWeekRecords, writeBadWeek } from "../report/bad-week-history.js";
import { runCliCaptured } from "../support/capture-io.js";
import { testServer } from "../support/test-server.js";

const NOW = Date.parse("2026-11-05T00:00:00Z");
const SLOS = parseSloSpecs(BAD_WEEK_SLO, "slos.yaml").slos;

let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore(":memory:");
  const attempts: Attempt[] = [];
  for (const line of badWeekRecords().trimEnd().split("\n")) {
    const parsed = parseAttemptRecord(JSON.parse(line));
    if (parsed.ok) attempts.push(parsed.attempt);
  }
  await store.upsertAttempts(attempts);
  ({ app } = await testServer(store, SLOS, { now: NOW }));
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
});

describe("GET /api/v1/reports", () => {
  it("answers over the store what the CLI computes from the same records in files", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/reports?slowest=3" });
    expect(res.statusCode, res.body).toBe(200);
    const served = SloReportSchema.parse(res.json());
    // No period: the month before the server's now.
    expect(served.period).toBe("2026-10");
    const [deployments, config] = writeBadWeek();
    const local = await runCliCaptured(
      [
        "report",
        "-d",
        deployments,
        "-c",
        config,
        "--period",
        "2026-10",
        "--slowest",
        "3",
        "--format",
        "json",
      ],
      { now: NOW },
    );
    expect(local.exitCode, local.stderr).toBe(0);
    expect(served).toEqual(JSON.parse(local.stdout));
    expect(served.slos[0]?.period.bad).toBe(168);
  });

  it("answers Markdown and a self-contained HTML page on request", async () => {
    const md = await app.inject({
      method: "GET",
      url: "/api/v1/reports?period=2026-10&format=markdown",
    });
    expect(md.statusCode).toBe(200);
    expect(md.headers["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(md.body.startsWith("# SLO report 2026-10\n")).toBe(true);
    const html = await app.inject({
      method: "GET",
      url: "/api/v1/reports?period=2026-10&format=html",
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html.body).toContain("<svg ");
  });

  it("refuses a bad period (400) and an unknown SLO (404) as problems", async () => {
    const bad = await app.inject({ method: "GET", url: "/api/v1/reports?period=2026-13" });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { detail: string }).detail).toContain(
      'period must be a calendar month YYYY-MM (UTC), e.g. 2026-10; got "2026-13"',
    );
    const unknown = await app.inject({ method: "GET", url: "/api/v1/reports?slo=nope" });
    expect(unknown.statusCode).toBe(404);
  });

  it("is what `deployslo report --server` renders", async () => {
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const run = await runCliCaptured(["report", "--server", address, "--period", "2026-10"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const md = await app.inject({
      method: "GET",
      url: "/api/v1/reports?period=2026-10&format=markdown",
    });
    expect(run.stdout).toBe(md.body);
    const both = await runCliCaptured(["report", "--server", address, "-d", "x.ndjson"]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("drop --deployments and --config");
  });
});
