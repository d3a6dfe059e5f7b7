import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RECORD_LIMITS } from "../../src/core/attempt/record-limits.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { parseTokenFile } from "../../src/server/parse-token-file.js";
import { runService } from "../../src/server/run-service.js";
import type { ApiToken } from "../../src/server/server-config.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const RISK = "risk-ingest-token-0123456789";
const RISK_READ = "risk-read-token-0123456789";
const ADMIN = "admin-token-0123456789";
const LIMITED = "limited-token-0123456789";
const RISK_APPROVER = "risk-approve-token-0123456789";
const TEAM_APPROVER = "team-approve-token-0123456789";
const TOKENS: ApiToken[] = [
  {
    name: "risk-ci",
    role: "ingest",
    token: RISK,
    scope: { models: ["fraud-detector"], labels: { team: ["risk"] } },
  },
  { name: "risk-dash", role: "read", token: RISK_READ, scope: { labels: { team: ["risk"] } } },
  { name: "ops", role: "admin", token: ADMIN },
  { name: "slow", role: "read", token: LIMITED, rateLimit: { perSecond: 0.001, burst: 2 } },
  {
    name: "risk-lead",
    role: "approve",
    token: RISK_APPROVER,
    scope: { models: ["fraud-detector"], environments: ["production"] },
  },
  {
    name: "team-lead",
    role: "approve",
    token: TEAM_APPROVER,
    scope: { labels: { team: ["risk"] } },
  },
];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const record = (id: string, model: string, team: string) => ({
  id,
  model,
  version: "1",
  environment: "production",
  labels: { team },
  startedAt: "2026-10-14T09:00:00Z",
  servingAt: "2026-10-14T09:01:00Z",
});

let store: Store;
let app: FastifyInstance;
beforeEach(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, SLOS, { tokens: TOKENS, bodyLimitBytes: 1024 * 1024 }));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

async function ids(token: string): Promise<string[]> {
  const res = await app.inject({ method: "GET", url: "/api/v1/attempts", headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return (res.json() as { attempts: { id: string }[] }).attempts.map((a) => a.id).sort();
}

describe("authentication before the body", () => {
  it("answers an unauthenticated 11 MiB body with 401, not 413 or a JSON error", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: { "content-type": "application/json" },
      payload: `{${"x".repeat(11 * 1024 * 1024)}`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("scoped tokens", () => {
  it("refuses an out-of-scope record with 403 and stores nothing of the request", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(RISK),
      payload: [record("ok", "fraud-detector", "risk"), record("x", "fraud-detector", "growth")],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: "FORBIDDEN",
      errors: ['[1] x: label team is "growth"; the token allows risk'],
    });
    const model = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(RISK),
      payload: record("y", "recommender", "risk"),
    });
    expect(model.statusCode).toBe(403);
    expect(await ids(ADMIN)).toEqual([]);
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(RISK),
      payload: record("ok", "fraud-detector", "risk"),
    });
    expect(ok.statusCode).toBe(200);
  });

  it("filters reads: lists and single attempts outside the scope are not shown", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(ADMIN),
      payload: [record("r1", "fraud-detector", "risk"), record("g1", "recommender", "growth")],
    });
    expect(await ids(ADMIN)).toEqual(["g1", "r1"]);
    expect(await ids(RISK_READ)).toEqual(["r1"]);
    for (const url of ["/api/v1/attempts/g1", "/api/v1/attempts/g1/trace"]) {
      const res = await app.inject({ method: "GET", url, headers: bearer(RISK_READ) });
      expect(res.statusCode, url).toBe(404);
    }
    const own = await app.inject({
      method: "GET",
      url: "/api/v1/attempts/r1/trace",
      headers: bearer(RISK_READ),
    });
    expect(own.statusCode).toBe(200);
    // What a scoped token sees of the aggregates: test/server/scoped-reads.test.ts.
  });

  it("refuses events for another team's attempt, also by starting it again", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(ADMIN),
      payload: record("g1", "recommender", "growth"),
    });
    const before = await ids(ADMIN);
    const started = {
      type: "attempt.started",
      at: "2026-10-14T09:00:00Z",
      model: "fraud-detector",
      version: "2",
      environment: "production",
      labels: { team: "risk" },
    };
    for (const payload of [
      { type: "attempt.serving", attemptId: "g1", at: "2026-10-14T09:02:00Z" },
      { ...started, attemptId: "g1" },
      { type: "attempt.serving", attemptId: "unknown", at: "2026-10-14T09:02:00Z" },
    ]) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/events",
        headers: bearer(RISK),
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
    }
    expect(await ids(ADMIN)).toEqual(before);
    const own = await app.inject({
      method: "POST",
      url: "/api/v1/events",
      headers: bearer(RISK),
      payload: [
        { ...started, attemptId: "r2" },
        { type: "attempt.serving", attemptId: "r2", at: "2026-10-14T09:02:00Z" },
      ],
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(await ids(RISK_READ)).toEqual(["r2"]);
  });
});

describe("scoped approvals", () => {
  const approve = (token: string, model: string) =>
    app.inject({
      method: "POST",
      url: "/api/v1/approvals",
      headers: bearer(token),
      payload: { model, environment: "production", reason: "verified", validFor: "1h" },
    });

  it("approves within the token's models and environments, and nothing else", async () => {
    expect((await approve(RISK_APPROVER, "fraud-detector")).statusCode).toBe(201);
    const other = await approve(RISK_APPROVER, "recommender");
    expect(other.statusCode).toBe(403);
    expect(other.json().detail).toContain('model "recommender" is not one of fraud-detector');
    // An approval carries no labels, so a token scoped by labels cannot approve.
    expect((await approve(TEAM_APPROVER, "fraud-detector")).statusCode).toBe(403);
    const audit = await app.inject({ method: "GET", url: "/api/v1/audit", headers: bearer(ADMIN) });
    expect(audit.json().entries).toHaveLength(1);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After once a token's burst is spent, other tokens unaffected", async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({
        method: "GET",
        url: "/api/v1/slos",
        headers: bearer(LIMITED),
      });
      statuses.push(res.statusCode);
      retryAfter = res.headers["retry-after"];
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ code: "RATE_LIMITED" });
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const other = await app.inject({ method: "GET", url: "/api/v1/slos", headers: bearer(ADMIN) });
    expect(other.statusCode).toBe(200);
  });
});

describe("token file", () => {
  const FILE = `tokens:
  - name: risk-ci
    role: ingest
    token: ${RISK}
    scope:
      models: [fraud-detector]
      environments: production
      labels: { team: [risk, fraud] }
    rateLimit: { perSecond: 20, burst: 40 }
  - { name: ops, role: admin, token: ${ADMIN} }
`;

  it("reads names, roles, scopes and rate limits", () => {
    expect(parseTokenFile(FILE, "tokens.yaml")).toEqual([
      {
        name: "risk-ci",
        role: "ingest",
        token: RISK,
        scope: {
          models: ["fraud-detector"],
          environments: ["production"],
          labels: { team: ["risk", "fraud"] },
        },
        rateLimit: { perSecond: 20, burst: 40 },
      },
      { name: "ops", role: "admin", token: ADMIN },
    ]);
  });

  it("reports each problem at file:line:column without printing a secret", () => {
    const bad = `tokens:\n  - name: a\n    role: owner\n    token: short\n    scop: {}\n`;
    let details: readonly string[] = [];
    try {
      parseTokenFile(bad, "tokens.yaml");
    } catch (error) {
      details = (error as { details: readonly string[] }).details;
    }
    expect(details).toEqual([
      "tokens.yaml:5:5: tokens[0].scop: unknown field",
      "tokens.yaml:3:11: tokens[0].role: must be one of read, ingest, approve, admin",
      "tokens.yaml:4:12: tokens[0].token: is shorter than 16 characters",
    ]);
  });

  it("is re-read by reload (SIGHUP): new tokens work, removed ones stop, a bad file is ignored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deployslo-tokens-"));
    const file = join(dir, "tokens.yaml");
    writeFileSync(file, `tokens:\n  - { name: ops, role: admin, token: ${ADMIN} }\n`);
    const service = await runService({
      configFiles: ["test/fixtures/slos.yaml"],
      database: ":memory:",
      sampleData: false,
      logLevel: "silent",
      ingestWorkers: 0,
      tokenFile: file,
      server: {
        host: "127.0.0.1",
        port: 0,
        bodyLimitBytes: 1024 * 1024,
        recordLimits: DEFAULT_RECORD_LIMITS,
        tokens: [],
        insecure: false,
      },
    });
    const status = async (token: string) =>
      (await service.app.inject({ method: "GET", url: "/api/v1/slos", headers: bearer(token) }))
        .statusCode;
    try {
      expect(await status(ADMIN)).toBe(200);
      writeFileSync(file, `tokens:\n  - { name: ops2, role: admin, token: ${RISK} }\n`);
      await service.reload();
      expect(await status(ADMIN)).toBe(401);
      expect(await status(RISK)).toBe(200);
      writeFileSync(file, "tokens: [\n");
      await service.reload();
      expect(await status(RISK)).toBe(200);
      writeFileSync(file, "tokens: []\n");
      await service.reload();
      expect(await status(RISK)).toBe(200);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
