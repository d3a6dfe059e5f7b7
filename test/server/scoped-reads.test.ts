import type { FastifyInstance } from "fastify";
import { beforeEach, expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { Slo } from "../../src/core/spec/slo.js";
import type { ApiToken } from "../../src/server/server-config.js";
import { runAlertEvaluation } from "../../src/services/run-alert-evaluation.js";
import type { SloEngine } from "../../src/services/slo-engine.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { pagingSlo, REGRESSION_START } from "../support/alert-scenario.js";
import { HOUR, MINUTE, makeAttempt, makeStage } from "../support/make-attempt.js";
import { testServer } from "../support/test-server.js";

// What a scoped token reads (docs/api.md, "What a scoped token sees"): for every read endpoint,
// exactly the in-scope subset for scoped tokens and everything for an unscoped one, and no
// answer to a scoped token names another team's model or SLO, on both stores.

const production = { environment: "production" };
const SLOS: readonly Slo[] = [
  // Within both scoped readers' scopes: every attempt it selects is the risk team's.
  pagingSlo({
    name: "risk-deploys",
    selector: { ...production, model: "fraud-detector", labels: { team: "risk" } },
  }),
  pagingSlo({
    name: "growth-deploys",
    selector: { ...production, model: "recommender", labels: { team: "growth" } },
  }),
  // Wider than any team's scope: its numbers are made of both teams' attempts.
  pagingSlo({ name: "fleet-deploys", selector: { ...production, model: null, labels: {} } }),
];
/** What must never reach a risk-team token. */
const OTHERS = ["recommender", "growth", "fleet-deploys"];

const ADMIN = "admin-token-0123456789";
const RISK_TEAM = "risk-team-token-0123456789";
const RISK_LEAD = "risk-lead-token-0123456789";
const RISK_CI = "risk-ci-token-0123456789";
const TOKENS: ApiToken[] = [
  { name: "ops", role: "admin", token: ADMIN },
  { name: "risk-team", role: "read", token: RISK_TEAM, scope: { labels: { team: ["risk"] } } },
  {
    name: "risk-lead",
    role: "approve",
    token: RISK_LEAD,
    scope: { models: ["fraud-detector"], environments: ["production"] },
  },
  {
    name: "risk-ci",
    role: "ingest",
    token: RISK_CI,
    scope: { models: ["fraud-detector"], labels: { team: ["risk"] } },
  },
];
const SCOPED = [RISK_TEAM, RISK_LEAD];

const FIRES_AT = REGRESSION_START + 11 * MINUTE;
const NOW = FIRES_AT + MINUTE;

/** One team's history: healthy deployments for 10 days, then one slow one, then one running. */
function history(prefix: string, model: string, team: string): Attempt[] {
  const at = (i: number) => REGRESSION_START - (10 - i) * 24 * HOUR;
  const healthy = Array.from({ length: 10 }, (_, i) =>
    makeAttempt({
      id: `${prefix}-${i}`,
      model,
      labels: { team },
      startedAt: at(i),
      servingAt: at(i) + 4 * MINUTE,
      stages: [makeStage({ name: "provision", startedAt: at(i), endedAt: at(i) + 3 * MINUTE })],
    }),
  );
  return [
    ...healthy,
    makeAttempt({
      id: `${prefix}-slow`,
      model,
      labels: { team },
      startedAt: REGRESSION_START,
      servingAt: REGRESSION_START + 20 * MINUTE,
    }),
    makeAttempt({ id: `${prefix}-running`, model, labels: { team }, startedAt: NOW - MINUTE }),
  ];
}
const RISK = history("risk", "fraud-detector", "risk");
const GROWTH = history("growth", "recommender", "growth");
const RISK_IDS = RISK.map((a) => a.id).sort();
const ALL_IDS = [...RISK, ...GROWTH].map((a) => a.id).sort();

/** Every read a dashboard, a CLI or a scraper makes, with names of the hidden side. */
const READS = [
  "/api/v1/attempts",
  "/api/v1/attempts/risk-0",
  "/api/v1/attempts/risk-0/trace",
  "/api/v1/slos",
  "/api/v1/slos/risk-deploys",
  "/api/v1/slos/risk-deploys/histogram",
  "/api/v1/slos/risk-deploys/attempts",
  "/api/v1/overview",
  "/api/v1/overview?environment=production",
  "/api/v1/stages",
  "/api/v1/stages?slo=risk-deploys",
  "/api/v1/alerts",
  "/api/v1/notifications",
  "/api/v1/approvals",
  "/api/v1/audit",
  "/api/v1/reports?period=2026-10",
  "/api/v1/reports?period=2026-10&format=markdown",
  "/api/v1/reports?period=2026-10&format=html",
  "/metrics",
  "/api/openapi.json",
];
/** Reads of another team's or a wider SLO, or another team's attempt: absent for scoped tokens. */
const HIDDEN = [
  "/api/v1/attempts/growth-0",
  "/api/v1/attempts/growth-0/trace",
  "/api/v1/slos/growth-deploys",
  "/api/v1/slos/fleet-deploys",
  "/api/v1/slos/fleet-deploys/histogram",
  "/api/v1/slos/growth-deploys/attempts",
  "/api/v1/stages?slo=fleet-deploys",
  "/api/v1/reports?period=2026-10&slo=fleet-deploys",
];

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    let app: FastifyInstance;
    let engine: SloEngine;

    const get = async (url: string, token: string) => {
      const res = await app.inject({ method: "GET", url, headers: bearer(token) });
      return { status: res.statusCode, body: res.body, json: () => res.json() };
    };

    beforeEach(async () => {
      const store = await db.open();
      await store.upsertAttempts([...RISK, ...GROWTH]);
      ({ app, engine } = await testServer(store, SLOS, { tokens: TOKENS, now: NOW }));
      for (const at of [REGRESSION_START, FIRES_AT]) {
        await runAlertEvaluation({
          ctx: { store, engine },
          input: { at, owner: "test", leaseMs: 60_000 },
        });
      }
      for (const model of ["fraud-detector", "recommender"]) {
        const approval = await app.inject({
          method: "POST",
          url: "/api/v1/approvals",
          headers: bearer(ADMIN),
          payload: { model, environment: "production", reason: "checked", validFor: "1h" },
        });
        expect(approval.statusCode, approval.body).toBe(201);
        const gate = await app.inject({
          method: "POST",
          url: "/api/v1/gate",
          headers: bearer(ADMIN),
          payload: { model, environment: "production" },
        });
        expect(gate.statusCode, gate.body).toBe(200);
      }
      return () => app.close();
    });

    it("shows an unscoped token everything, other teams' names included", async () => {
      for (const url of [...READS, ...HIDDEN]) {
        const res = await get(url, ADMIN);
        expect(res.status, `${url}: ${res.body}`).toBe(200);
      }
      const all = (await Promise.all(READS.map((url) => get(url, ADMIN)))).map((r) => r.body);
      for (const name of OTHERS) expect(all.join("\n"), name).toContain(name);
    });

    it("answers every read of a scoped token without another team's model or SLO", async () => {
      for (const token of SCOPED) {
        for (const url of READS) {
          const res = await get(url, token);
          expect(res.status, `${url}: ${res.body}`).toBe(200);
          for (const name of OTHERS) expect(res.body, `${url} names ${name}`).not.toContain(name);
        }
        // As for what does not exist: the answer repeats the name asked for and nothing else.
        for (const url of HIDDEN) {
          const res = await get(url, token);
          expect(res.status, url).toBe(404);
          expect(res.json().detail, url).toMatch(/^no (attempt with id|SLO named) "[^"]+"$/);
        }
      }
    });

    it("lists exactly the in-scope attempts, SLOs and metrics", async () => {
      const ids = async (token: string) =>
        (
          (await get("/api/v1/attempts?limit=1000", token).then((r) => r.json())) as {
            attempts: { id: string }[];
          }
        ).attempts
          .map((a) => a.id)
          .sort();
      const slos = async (token: string) =>
        (
          (await get("/api/v1/slos", token).then((r) => r.json())) as { slos: { name: string }[] }
        ).slos
          .map((s) => s.name)
          .sort();
      const metricSlos = async (token: string) => [
        ...new Set(
          [...(await get("/metrics", token)).body.matchAll(/slo="([^"]+)"/g)].map((m) => m[1]),
        ),
      ];
      expect(await ids(ADMIN)).toEqual(ALL_IDS);
      expect(await slos(ADMIN)).toEqual(["fleet-deploys", "growth-deploys", "risk-deploys"]);
      expect((await metricSlos(ADMIN)).sort()).toEqual([
        "fleet-deploys",
        "growth-deploys",
        "risk-deploys",
      ]);
      for (const token of SCOPED) {
        expect(await ids(token)).toEqual(RISK_IDS);
        expect(await slos(token)).toEqual(["risk-deploys"]);
        expect(await metricSlos(token)).toEqual(["risk-deploys"]);
      }
      // The process's metrics describe the shared service: only unscoped tokens read them.
      expect((await get("/metrics", ADMIN)).body).toContain("deployslo_process_");
      expect((await get("/metrics", RISK_TEAM)).body).not.toContain("deployslo_process_");
    });

    it("computes the overview and stage statistics over the in-scope attempts only", async () => {
      const overview = async (token: string) =>
        (await get("/api/v1/overview", token)).json() as {
          models: string[];
          slos: { name: string }[];
          inProgress: { id: string; slos: string[] }[];
        };
      const admin = await overview(ADMIN);
      expect(admin.models).toEqual(["fraud-detector", "recommender"]);
      expect(admin.inProgress.map((a) => a.id).sort()).toEqual(["growth-running", "risk-running"]);
      const risk = await overview(RISK_TEAM);
      expect(risk.models).toEqual(["fraud-detector"]);
      expect(risk.slos.map((s) => s.name)).toEqual(["risk-deploys"]);
      expect(risk.inProgress).toEqual([
        expect.objectContaining({ id: "risk-running", slos: ["risk-deploys"] }),
      ]);
      const stages = async (token: string) =>
        (
          (await get("/api/v1/stages?from=2026-10-01T00:00:00Z", token)).json() as {
            attempts: number;
          }
        ).attempts;
      expect(await stages(ADMIN)).toBe(ALL_IDS.length);
      expect(await stages(RISK_TEAM)).toBe(RISK_IDS.length);
      const trace = async (token: string) =>
        (
          (await get("/api/v1/attempts/risk-0/trace", token)).json() as { slos: { name: string }[] }
        ).slos
          .map((s) => s.name)
          .sort();
      expect(await trace(ADMIN)).toEqual(["fleet-deploys", "risk-deploys"]);
      expect(await trace(RISK_TEAM)).toEqual(["risk-deploys"]);
    });

    it("restricts alerts, notifications, approvals and the audit log to what is in scope", async () => {
      const alertSlos = async (token: string) => {
        const body = (await get("/api/v1/alerts", token)).json() as {
          alerts: { slo: string; state: string }[];
          transitions: { slo: string }[];
        };
        return {
          alerts: [...new Set(body.alerts.map((a) => a.slo))].sort(),
          transitions: [...new Set(body.transitions.map((t) => t.slo))].sort(),
        };
      };
      const everySlo = ["fleet-deploys", "growth-deploys", "risk-deploys"];
      expect(await alertSlos(ADMIN)).toEqual({ alerts: everySlo, transitions: everySlo });
      expect(await alertSlos(RISK_TEAM)).toEqual({
        alerts: ["risk-deploys"],
        transitions: ["risk-deploys"],
      });
      const notified = async (token: string) =>
        [
          ...new Set(
            (
              (await get("/api/v1/notifications", token)).json() as {
                notifications: { notification: { slo: string } }[];
              }
            ).notifications.map((n) => n.notification.slo),
          ),
        ].sort();
      // Incidents group SLOs over the same attempts: the fleet SLO joins a team's incident.
      expect(await notified(ADMIN)).toEqual(expect.arrayContaining(["growth-deploys"]));
      expect(await notified(RISK_TEAM)).not.toContain("growth-deploys");

      const approvals = async (token: string) =>
        (
          (await get("/api/v1/approvals", token)).json() as { approvals: { model: string }[] }
        ).approvals
          .map((a) => a.model)
          .sort();
      expect(await approvals(ADMIN)).toEqual(["fraud-detector", "recommender"]);
      expect(await approvals(RISK_LEAD)).toEqual(["fraud-detector"]);
      // An approval carries no labels: a token scoped by labels cannot tell it is its team's.
      expect(await approvals(RISK_TEAM)).toEqual([]);

      type Entry = { kind: string; model: string; detail: { slos?: { name: string }[] } };
      const audit = async (token: string, query = "") =>
        ((await get(`/api/v1/audit${query}`, token)).json() as { entries: Entry[] }).entries;
      const kinds = (entries: Entry[]) => entries.map((e) => `${e.kind} ${e.model}`).sort();
      expect(kinds(await audit(ADMIN))).toHaveLength(4);
      const lead = await audit(RISK_LEAD);
      expect(kinds(lead)).toEqual(["approval fraud-detector", "gate_decision fraud-detector"]);
      const decision = lead.find((e) => e.kind === "gate_decision");
      expect(decision?.detail.slos?.map((s) => s.name)).toEqual(["risk-deploys"]);
      const full = (await audit(ADMIN, "?model=fraud-detector&kind=gate_decision"))[0];
      expect(full?.detail.slos?.map((s) => s.name).sort()).toEqual([
        "fleet-deploys",
        "risk-deploys",
      ]);
      // Pages of a scoped reader are read on past other teams' entries.
      const first = (await get("/api/v1/audit?limit=1", RISK_LEAD)).json() as {
        entries: Entry[];
        nextBefore: number;
      };
      const second = await audit(RISK_LEAD, `?limit=1&before=${first.nextBefore}`);
      expect(kinds([...first.entries, ...second])).toEqual(kinds(lead));
    });

    it("answers the gate for in-scope promotions with only the SLOs in scope", async () => {
      const ask = (model: string) =>
        app.inject({
          method: "POST",
          url: "/api/v1/gate",
          headers: bearer(RISK_CI),
          payload: { model, environment: "production" },
        });
      const other = await ask("recommender");
      expect(other.statusCode).toBe(403);
      expect(other.json()).toMatchObject({ code: "FORBIDDEN" });
      const own = await ask("fraud-detector");
      expect(own.statusCode, own.body).toBe(200);
      const answer = own.json() as { slos: { name: string }[]; reasons: string[] };
      expect(answer.slos.map((s) => s.name)).toEqual(["risk-deploys"]);
      for (const name of OTHERS) expect(own.body).not.toContain(name);
      expect(answer.reasons.at(-1)).toMatch(/^1 SLO outside this token's scope decided /);
      expect(own.json().estimate).toBeNull();
      // A webhook delivery is a write like the others: outside the scope it is refused.
      const hook = await app.inject({
        method: "POST",
        url: "/api/v1/hooks/argocd",
        headers: { ...bearer(RISK_CI), "content-type": "application/json" },
        payload: {
          app: "recommender-production",
          model: "recommender",
          version: "9",
          environment: "production",
          phase: "Running",
          startedAt: "2026-10-14T09:00:40Z",
        },
      });
      expect(hook.statusCode, hook.body).toBe(403);
      expect(hook.json().detail).toContain("outside the token's scope");
      // The audit log keeps the whole decision for unscoped readers.
      const audit = await get("/api/v1/audit?limit=1", ADMIN);
      expect(audit.body).toContain("fleet-deploys");
    });
  });
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
