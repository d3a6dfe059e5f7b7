import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTimestamp } from "../../src/core/primitives/timestamp.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { gateFiles } from "../../src/services/gate-files.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { HOUR } from "../support/make-attempt.js";
import { testServer } from "../support/test-server.js";
import { ATTEMPTS, GATE_AT, SPECS, scenarioFiles } from "./gate-scenario.js";

const CI = { authorization: "Bearer ci-token-0123456789" };
const APPROVER = { authorization: "Bearer alice-token-0123456789" };

let store: Store;
let app: FastifyInstance;
let files: { config: string; deployments: string };

beforeAll(async () => {
  files = await scenarioFiles();
  store = await openStore(":memory:");
  await store.upsertAttempts(ATTEMPTS);
  ({ app } = await testServer(store, parseSloSpecs(SPECS, "slos.yaml").slos, {
    now: GATE_AT,
    tokens: [
      { name: "ci", token: "ci-token-0123456789", role: "ingest" },
      { name: "alice", token: "alice-token-0123456789", role: "approve" },
    ],
  }));
});
afterAll(async () => {
  await app.close();
  await store.close();
});

interface Ask {
  model: string;
  environment: string;
  change?: "normal" | "hotfix" | "rollback";
  version?: string;
}

async function offline(ask: Ask) {
  const { decision } = await gateFiles({
    configFiles: [files.config],
    deploymentFiles: [files.deployments],
    request: {
      model: ask.model,
      environment: ask.environment,
      version: ask.version ?? null,
      change: ask.change ?? "normal",
      labels: {},
    },
    at: GATE_AT,
    skipInvalid: false,
  });
  return decision;
}

async function online(ask: Ask, at = GATE_AT) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/gate",
    headers: CI,
    payload: { ...ask, at: formatTimestamp(at) },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Every decision path, the same both ways (the offline gate has no approvals). */
const PATHS: readonly { name: string; ask: Ask; decision: string; kind: string }[] = [
  {
    name: "allow",
    ask: { model: "open-model", environment: "production" },
    decision: "allow",
    kind: "gate_decision",
  },
  {
    name: "deny",
    ask: { model: "frozen-model", environment: "production" },
    decision: "deny",
    kind: "gate_decision",
  },
  {
    name: "exempt change",
    ask: { model: "frozen-model", environment: "production", change: "hotfix" },
    decision: "allow",
    kind: "exemption",
  },
  {
    name: "approval required",
    ask: { model: "tight-model", environment: "production", version: "9" },
    decision: "approval_required",
    kind: "gate_decision",
  },
  {
    name: "no matching SLO",
    ask: { model: "open-model", environment: "dev" },
    decision: "allow",
    kind: "gate_decision",
  },
];

describe("the gate decides every path the same offline and through the API", () => {
  for (const path of PATHS) {
    it(path.name, async () => {
      const local = await offline(path.ask);
      const remote = await online(path.ask);
      expect(local.decision).toBe(path.decision);
      expect(remote.decision).toBe(path.decision);
      expect(remote.reasons).toEqual(local.reasons);
      expect(remote.slos).toEqual(local.slos);
      expect(remote.at).toBe(formatTimestamp(GATE_AT));
      const [entry] = (
        await app.inject({ method: "GET", url: "/api/v1/audit?limit=1", headers: CI })
      ).json().entries;
      expect(entry).toMatchObject({
        seq: remote.auditSeq,
        kind: path.kind,
        decision: path.decision,
        actor: "ci",
      });
      expect(entry.detail.slos).toEqual(remote.slos);
      expect(entry.detail.evaluatedAt).toBe(formatTimestamp(GATE_AT));
    });
  }

  it("takes the labels from the model's history: open-* is selected by team=risk", async () => {
    const remote = await online({ model: "open-model", environment: "production" });
    expect(remote.slos.map((s: { name: string }) => s.name)).toEqual(["open"]);
    expect((await offline({ model: "open-model", environment: "production" })).slos).toHaveLength(
      1,
    );
  });
});

describe("approvals", () => {
  it("turns approval required into allow for their scope until they expire, and are audited", async () => {
    const denied = await app.inject({
      method: "POST",
      url: "/api/v1/approvals",
      headers: CI,
      payload: { model: "tight-model", environment: "production", reason: "ci may not approve" },
    });
    expect(denied.statusCode).toBe(403);
    const granted = await app.inject({
      method: "POST",
      url: "/api/v1/approvals",
      headers: APPROVER,
      payload: {
        model: "tight-model",
        environment: "production",
        version: "9",
        reason: "canary fix verified",
        validFor: "2h",
      },
    });
    expect(granted.statusCode, granted.body).toBe(201);
    const approval = granted.json();
    expect(approval).toMatchObject({
      approver: "alice",
      expiresAt: formatTimestamp(GATE_AT + 2 * HOUR),
    });

    const approved = await online({
      model: "tight-model",
      environment: "production",
      version: "9",
    });
    expect(approved.decision).toBe("allow");
    expect(approved.slos[0].approvalId).toBe(approval.id);
    expect(
      (await online({ model: "tight-model", environment: "production", version: "10" })).decision,
    ).toBe("approval_required");
    const expired = await online(
      { model: "tight-model", environment: "production", version: "9" },
      GATE_AT + 3 * HOUR,
    );
    expect(expired.decision).toBe("approval_required");

    const audit = (
      await app.inject({ method: "GET", url: "/api/v1/audit?kind=approval", headers: CI })
    ).json();
    expect(audit.entries[0]).toMatchObject({
      seq: approval.auditSeq,
      actor: "alice",
      model: "tight-model",
    });
    expect(audit.entries[0].detail).toMatchObject({ reason: "canary fix verified", version: "9" });
  });

  it("refuses an approval without a reason or longer than a week, writing nothing", async () => {
    const before = (await app.inject({ method: "GET", url: "/api/v1/audit", headers: CI })).json()
      .entries.length;
    for (const payload of [
      { model: "m", environment: "e", reason: "  " },
      { model: "m", environment: "e", reason: "r", validFor: "8d" },
      { model: "m", environment: "e", reason: "r", validFor: "soon" },
    ]) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/approvals",
        headers: APPROVER,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().detail).toBeTruthy();
    }
    const after = (await app.inject({ method: "GET", url: "/api/v1/audit", headers: CI })).json()
      .entries.length;
    expect(after).toBe(before);
  });
});

describe("integrations and the audit log", () => {
  it("answers Argo Rollouts' web provider with the decision at $.decision", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/api/v1/gate?model=frozen-model&environment=production",
      headers: CI,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().decision).toBe("deny");
  });

  it("answers Flagger's webhook 200 to go on and 412 to hold", async () => {
    const hold = await app.inject({
      method: "POST",
      url: "/api/v1/gate/flagger",
      headers: CI,
      payload: {
        name: "frozen-model",
        namespace: "production",
        phase: "Progressing",
        checksum: "85d557f47b",
        metadata: {},
      },
    });
    expect(hold.statusCode).toBe(412);
    expect(hold.json().decision).toBe("deny");
    const go = await app.inject({
      method: "POST",
      url: "/api/v1/gate/flagger",
      headers: CI,
      payload: {
        name: "canary",
        namespace: "prod-ns",
        metadata: { model: "open-model", environment: "production" },
      },
    });
    expect(go.statusCode).toBe(200);
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/gate/flagger",
      headers: CI,
      payload: { name: "x", namespace: "y", metadata: { change: "yolo" } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain("metadata.change");
  });

  it("has no way to change or delete an entry through the API", async () => {
    const before = (await app.inject({ method: "GET", url: "/api/v1/audit", headers: CI })).json()
      .entries;
    for (const method of ["PUT", "PATCH", "DELETE", "POST"] as const) {
      for (const url of ["/api/v1/audit", `/api/v1/audit/${before[0].seq}`]) {
        const response = await app.inject({
          method,
          url,
          headers: APPROVER,
          payload: { decision: "allow" },
        });
        expect(response.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
      }
    }
    const after = (await app.inject({ method: "GET", url: "/api/v1/audit", headers: CI })).json()
      .entries;
    expect(after).toEqual(before);
  });

  it("needs the ingest role to ask the gate, and says which", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/gate",
      headers: APPROVER,
      payload: { model: "open-model", environment: "production" },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain("needs ingest");
  });
});
