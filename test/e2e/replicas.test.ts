import { readFileSync } from "node:fs";
import { Client } from "pg";
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

// Two `deployslo serve` processes on one PostgreSQL database answer alike, whichever of them
// took the writes (docs/operations.md, "Several replicas").

const SPEC = "test/fixtures/slos.yaml";
const FIXTURE_LINES = readFileSync("test/fixtures/attempts.ndjson", "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");
const GOLDEN: unknown = JSON.parse(
  readFileSync("test/golden/evaluate-fixture-json.stdout", "utf8"),
);
const AT = "2026-10-14T09:30:00Z";

const postgres = DIALECTS.filter((dialect) => dialect.name === "postgres");

/** The alert evaluator's lease as stored (table leases), read directly. */
async function evaluatorLease(location: string): Promise<{ owner: string; until: number } | null> {
  const client = new Client({ connectionString: location, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const result = await client.query<{ owner: string; until: string }>(
      "select owner, until from leases where name = 'alert-evaluator'",
    );
    const row = result.rows[0];
    return row === undefined ? null : { owner: row.owner, until: Number(row.until) };
  } finally {
    await client.end();
  }
}

/** The replica id a server logged at start ("deployslo is serving", field replica). */
function replicaId(server: SpawnedServer): string | undefined {
  return /"replica":"([^"]+)"/.exec(server.stdout())?.[1];
}

/** --alert-interval, and how soon after kill -9 of the lease holder the other must hold it. */
const TAKEOVERS = [
  { args: ["--alert-interval", "2s"], label: "--alert-interval 2s", boundMs: 4_000 },
  { args: [], label: "the default --alert-interval 30s", boundMs: 15_000 },
];

for (const dialect of postgres) {
  describeDialect(dialect, (db) => {
    afterEach(stopAllServers);

    /** Two replicas started at once, so they also race through the migrations. */
    const replicas = (): Promise<SpawnedServer[]> =>
      Promise.all([0, 1].map(() => spawnServer({ config: [SPEC], database: db.location() })));

    it("answers the golden SLO status from both replicas when each took half of the attempts", {
      timeout: 30_000,
    }, async () => {
      const [a, b] = await replicas();
      if (a === undefined || b === undefined) throw new Error("two replicas expected");
      const half = Math.ceil(FIXTURE_LINES.length / 2);
      const posted = await Promise.all([
        call(a.url, "POST", "/api/v1/attempts", `${FIXTURE_LINES.slice(0, half).join("\n")}\n`),
        call(b.url, "POST", "/api/v1/attempts", `${FIXTURE_LINES.slice(half).join("\n")}\n`),
      ]);
      expect(posted.map((reply) => reply.json)).toEqual([
        { accepted: half, inserted: half, updated: 0 },
        {
          accepted: FIXTURE_LINES.length - half,
          inserted: FIXTURE_LINES.length - half,
          updated: 0,
        },
      ]);

      const statuses = await Promise.all(
        [a, b].map((replica) => call(replica.url, "GET", `/api/v1/slos?at=${AT}`)),
      );
      for (const status of statuses) expect(status.status, status.text).toBe(200);
      expect(statuses[0]?.json).toEqual(statuses[1]?.json);
      expect(statuses[0]?.json).toEqual(GOLDEN);

      // A record updated through one replica changes the other's answer too.
      const a1 = JSON.parse(FIXTURE_LINES[0] ?? "{}") as Record<string, unknown>;
      const updated = await call(b.url, "POST", "/api/v1/attempts", {
        ...a1,
        environment: "staging",
      });
      expect(updated.json).toEqual({ accepted: 1, inserted: 0, updated: 1 });
      const after = await Promise.all(
        [a, b].map((replica) => call(replica.url, "GET", `/api/v1/slos?at=${AT}`)),
      );
      expect(after[0]?.json).toEqual(after[1]?.json);
      expect(after[0]?.json).not.toEqual(GOLDEN);
    });

    it("builds one attempt from events sent alternately to both replicas", {
      timeout: 30_000,
    }, async () => {
      const [a, b] = await replicas();
      if (a === undefined || b === undefined) throw new Error("two replicas expected");
      const attemptId = "rep-1";
      // Out of order on purpose: the attempt is rebuilt from all of its events.
      const events = [
        {
          id: "ev-provision-done",
          type: "stage.finished",
          attemptId,
          at: "2026-10-14T09:02:00Z",
          stage: "provision",
        },
        {
          id: "ev-start",
          type: "attempt.started",
          attemptId,
          at: "2026-10-14T09:00:00Z",
          model: "fraud-detector",
          version: "12",
          environment: "production",
          labels: { team: "risk" },
        },
        {
          id: "ev-provision",
          type: "stage.started",
          attemptId,
          at: "2026-10-14T09:00:30Z",
          stage: "provision",
        },
        { id: "ev-pull", type: "dependency.measured", attemptId, name: "image_pull", seconds: 7 },
        { id: "ev-serving", type: "attempt.serving", attemptId, at: "2026-10-14T09:04:00Z" },
        {
          id: "ev-finished",
          type: "attempt.finished",
          attemptId,
          at: "2026-10-14T09:04:30Z",
          outcome: "succeeded",
        },
      ];
      for (const [i, event] of events.entries()) {
        const replica = i % 2 === 0 ? a : b;
        const reply = await call(replica.url, "POST", "/api/v1/events", event);
        expect(reply.status, reply.text).toBe(200);
        expect(reply.json).toMatchObject({ accepted: 1, duplicates: 0 });
      }
      // Re-delivery to the other replica is recognised as a duplicate.
      const again = await call(b.url, "POST", "/api/v1/events", events[0]);
      expect(again.json).toMatchObject({ accepted: 0, duplicates: 1 });

      const traces = await Promise.all(
        [a, b].map((replica) => call(replica.url, "GET", `/api/v1/attempts/${attemptId}`)),
      );
      for (const trace of traces) expect(trace.status, trace.text).toBe(200);
      expect(traces[0]?.json).toEqual(traces[1]?.json);
      expect(traces[0]?.json).toMatchObject({
        id: attemptId,
        version: "12",
        labels: { team: "risk" },
        startedAt: "2026-10-14T09:00:00.000Z",
        servingAt: "2026-10-14T09:04:00.000Z",
        endedAt: "2026-10-14T09:04:30.000Z",
        outcome: "succeeded",
        stages: [
          {
            name: "provision",
            startedAt: "2026-10-14T09:00:30.000Z",
            endedAt: "2026-10-14T09:02:00.000Z",
            status: "succeeded",
          },
        ],
        dependencies: [{ name: "image_pull", seconds: 7 }],
      });

      const statuses = await Promise.all(
        [a, b].map((replica) => call(replica.url, "GET", `/api/v1/slos?at=${AT}`)),
      );
      const [fromA, fromB] = statuses.map(
        (status) => status.json as { slos: { name: string; eligible: number }[] },
      );
      expect(fromA).toEqual(fromB);
      const slos = fromA?.slos ?? [];
      expect(slos.find((slo) => slo.name === "prod-deploys")?.eligible).toBe(1);
      expect(slos.find((slo) => slo.name === "provision-stage")?.eligible).toBe(1);
    });

    for (const takeover of TAKEOVERS) {
      it(`moves the alert evaluator to the other replica within ${takeover.boundMs / 1000} s of kill -9 of the holder (${takeover.label})`, {
        timeout: 60_000,
      }, async () => {
        const servers = await Promise.all(
          [0, 1].map(() =>
            spawnServer({ config: [SPEC], database: db.location(), args: [...takeover.args] }),
          ),
        );
        // The "serving" line on stderr may come before the JSON line naming the replica.
        await pollUntil(
          "both replicas to log their replica id",
          async () => servers.every((server) => replicaId(server) !== undefined) || undefined,
          { timeoutMs: 5_000, intervalMs: 20 },
        );
        const lease = await pollUntil(
          () =>
            `a replica to hold the alert evaluator's lease\n${servers.map((s) => s.logs()).join("\n")}`,
          async () => {
            const held = await evaluatorLease(db.location());
            return held !== null && held.until > Date.now() ? held : undefined;
          },
          { timeoutMs: 10_000, intervalMs: 50 },
        );
        const holder = servers.find((server) => replicaId(server) === lease.owner);
        const other = servers.find((server) => server !== holder);
        if (holder === undefined || other === undefined) {
          throw new Error(`no replica logged the lease owner ${lease.owner}`);
        }
        const otherId = replicaId(other);
        // Killed right away or a little later, the bound holds from the kill on.
        await new Promise((resolve) => setTimeout(resolve, 700));
        const killedAt = Date.now();
        expect((await holder.stop("SIGKILL")).signal).toBe("SIGKILL");
        let seen: Awaited<ReturnType<typeof evaluatorLease>> = null;
        const tookAt = await pollUntil(
          () =>
            `the other replica (${otherId}) to take the lease (last seen ${JSON.stringify(seen)} ` +
            `at ${Date.now()})\n${other.logs()}`,
          async () => {
            seen = await evaluatorLease(db.location());
            return seen?.owner === otherId ? Date.now() : undefined;
          },
          { timeoutMs: takeover.boundMs + 10_000, intervalMs: 50 },
        );
        expect(tookAt - killedAt, other.logs()).toBeLessThanOrEqual(takeover.boundMs);
        // …and it evaluates: the lease stays with it, renewed ahead of the clock.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const later = await evaluatorLease(db.location());
        expect(later?.owner).toBe(otherId);
        expect(later?.until ?? 0).toBeGreaterThan(Date.now());
      });
    }
  });
}
