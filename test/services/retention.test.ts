import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/clock/clock.js";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { longestRetentionReach } from "../../src/core/evaluation/retention-reach.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { startRetentionLoop } from "../../src/jobs/start-retention-loop.js";
import { pruneExpiredRows } from "../../src/services/prune-expired-rows.js";
import { resolveRetention } from "../../src/services/resolve-retention.js";
import { silentLogger } from "../../src/services/service-logger.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { generatedAttempts, HISTORY_START } from "../support/generated-attempts.js";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo } from "../support/make-attempt.js";

// Retention deletes only what no SLO can see: every SLO's status, as of now and as of any
// instant an alert rule looks back to, is the same before and after (docs/operations.md).

const DAYS = 120;
const NOW = HISTORY_START + DAYS * DAY;

const SLOS: readonly Slo[] = [
  makeSlo({ name: "weekly", window: { kind: "rolling", ms: 7 * DAY } }),
  makeSlo({
    name: "monthly-excess",
    window: { kind: "calendar", unit: "month" },
    budgeting: "excess-time",
    targetPercent: "99.9",
  }),
  makeSlo({
    name: "provision",
    indicator: { kind: "stage", stage: "provision" },
    thresholdMs: 2 * MINUTE,
  }),
  // The longest reach: 30 days and the drift baseline's 14.
  makeSlo({ name: "infra-api", indicator: { kind: "dependency", dependency: "infra_api" } }),
];

/** Time stands at NOW; pauses between batches pass at once, a pause between passes waits to stop. */
function frozenClock(now: number): Clock {
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (ms < 1000 || signal?.aborted === true) return resolve();
        signal?.addEventListener("abort", () => resolve(), { once: true });
      }),
  };
}

let dir: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "deployslo-retention-"));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  const store = await openStore(join(dir, "deployslo.db"));
  stores.push(store);
  return store;
}

/** Every SLO's status at each instant, read by a replica that starts now (a fresh engine). */
async function statuses(store: Store, ats: readonly number[]): Promise<unknown[]> {
  const engine = new SloEngine(store, SLOS, frozenClock(NOW));
  await engine.refresh();
  return Promise.all(ats.map((at) => engine.status(at)));
}

async function storedIds(store: Store): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listAttempts(
      {},
      cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor },
    );
    for (const attempt of page.attempts) ids.add(attempt.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}

describe("pruneExpiredRows", () => {
  const history: Attempt[] = [
    ...generatedAttempts({ seed: 17, days: DAYS, attemptsPerDay: 24, inProgressAtEnd: true }),
    // Started on the first day and never ended: in progress in every evaluation.
    makeAttempt({ id: "stuck", startedAt: HISTORY_START + HOUR }),
  ];

  it("leaves every SLO's status unchanged, now and as far back as a lookback reaches", async () => {
    const store = await open();
    await store.upsertAttempts(history);
    // The shortest retention allowed: the longest window plus its lookback, to the millisecond.
    const reach = longestRetentionReach(SLOS);
    expect(reach).toMatchObject({ slo: "infra-api", ms: 44 * DAY });
    const retainMs = resolveRetention({ kind: "fixed", ms: reach?.ms ?? 0 }, SLOS) ?? 0;
    const ats = [NOW, NOW - HOUR, NOW - DAY, NOW - 3 * DAY, NOW - 14 * DAY];
    const before = await statuses(store, ats);

    const batches: number[] = [];
    const pass = await pruneExpiredRows({
      ctx: { store, engine: new SloEngine(store, SLOS), clock: frozenClock(NOW) },
      input: {
        retainMs,
        owner: "replica-a",
        leaseMs: MINUTE,
        batchSize: 250,
        pauseMs: 10,
        signal: new AbortController().signal,
        onBatch: (batch) => {
          if (batch.table === "attempts") batches.push(batch.deleted);
        },
      },
    });

    expect(await statuses(store, ats)).toEqual(before);
    const cutoff = NOW - retainMs;
    const ended = (a: Attempt) => a.endedAt ?? a.servingAt;
    const old = history.filter((a) => (ended(a) ?? NOW) < cutoff - DAY);
    expect(pass).toMatchObject({ held: true, cutoff, notifications: 0 });
    // 76 of the 120 days lie before the cutoff (busier and quieter days make it 70 to 80).
    expect(pass.attempts).toBeGreaterThanOrEqual(old.length);
    expect(pass.attempts).toBeLessThan(history.length * (80 / DAYS));
    expect(batches.length).toBeGreaterThan(pass.attempts / 250);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(pass.attempts);

    const left = await storedIds(store);
    expect(left.size).toBe(history.length - pass.attempts);
    expect(left.has("stuck")).toBe(true);
    for (const attempt of history) {
      if (attempt.outcome === "in_progress" || (ended(attempt) ?? 0) >= cutoff) {
        expect(left.has(attempt.id), attempt.id).toBe(true);
      }
    }
  });

  it("runs on one replica at a time", async () => {
    const store = await open();
    await store.upsertAttempts(history.slice(0, 50));
    const ctx = { store, engine: new SloEngine(store, SLOS), clock: frozenClock(NOW) };
    const input = {
      retainMs: 44 * DAY,
      leaseMs: MINUTE,
      batchSize: 1000,
      pauseMs: 0,
      signal: new AbortController().signal,
    };
    expect(await store.acquireLease({ name: "retention", owner: "a", now: NOW, leaseMs: MINUTE }));
    const standby = await pruneExpiredRows({ ctx, input: { ...input, owner: "b" } });
    expect(standby).toEqual({
      held: false,
      cutoff: null,
      attempts: 0,
      notifications: 0,
      batches: 0,
    });
    expect((await storedIds(store)).size).toBe(50);
    const holder = await pruneExpiredRows({ ctx, input: { ...input, owner: "a" } });
    expect(holder.attempts).toBe(50);
  });

  it("refuses to delete what a current SLO reads", async () => {
    const store = await open();
    await store.upsertAttempts(history.slice(0, 50));
    const ctx = { store, engine: new SloEngine(store, SLOS), clock: frozenClock(NOW) };
    await expect(
      pruneExpiredRows({
        ctx,
        input: {
          retainMs: 30 * DAY,
          owner: "a",
          leaseMs: MINUTE,
          batchSize: 1000,
          pauseMs: 0,
          signal: new AbortController().signal,
        },
      }),
    ).rejects.toThrow(/SLO "infra-api"/);
    expect((await storedIds(store)).size).toBe(50);
  });
});

describe("startRetentionLoop", () => {
  it("deletes at start, logs what it deleted, counts each batch, and gives the lease up", async () => {
    const store = await open();
    const history = generatedAttempts({ seed: 3, days: 60, attemptsPerDay: 10 });
    await store.upsertAttempts(history);
    const logged: { fields: object; message: string }[] = [];
    const logger = {
      ...silentLogger,
      info: (fields: object, message: string) => logged.push({ fields, message }),
    };
    const counted = new Map<string, number>();
    const now = HISTORY_START + 60 * DAY;
    const loop = startRetentionLoop(
      { store, engine: new SloEngine(store, SLOS), clock: frozenClock(now), logger },
      {
        owner: "replica-a",
        retainMs: () => 44 * DAY,
        timing: { intervalMs: HOUR, batchSize: 100, pauseMs: 0 },
        onBatch: ({ table, deleted }) => counted.set(table, (counted.get(table) ?? 0) + deleted),
      },
    );
    await expect.poll(() => logged.length, { timeout: 10_000 }).toBe(1);
    await loop.stop();
    const deleted = counted.get("attempts") ?? 0;
    expect(deleted).toBeGreaterThan(0);
    expect(logged[0]).toEqual({
      message: "deleted rows older than the retention",
      fields: expect.objectContaining({
        cutoff: new Date(now - 44 * DAY).toISOString(),
        attempts: deleted,
        notifications: 0,
      }),
    });
    expect((await storedIds(store)).size).toBe(history.length - deleted);
    // Released: another replica takes the lease at once.
    expect(await store.acquireLease({ name: "retention", owner: "b", now, leaseMs: MINUTE })).toBe(
      true,
    );
  });

  it("lets ingest through while a large pass runs", async () => {
    const store = await open();
    const now = systemClock.now();
    // 20,000 attempts that ended a year ago, deleted 500 at a time.
    const old = Array.from({ length: 20_000 }, (_, i) =>
      makeAttempt({
        id: `old-${i}`,
        startedAt: now - 400 * DAY + i * MINUTE,
        servingAt: now - 400 * DAY + i * MINUTE + 30_000,
        endedAt: now - 400 * DAY + i * MINUTE + 60_000,
      }),
    );
    for (let i = 0; i < old.length; i += 5000) await store.upsertAttempts(old.slice(i, i + 5000));
    const order: string[] = [];
    const clock: Clock = { now: systemClock.now, sleep: systemClock.sleep };
    const pass = pruneExpiredRows({
      ctx: { store, engine: new SloEngine(store, SLOS), clock },
      input: {
        retainMs: 44 * DAY,
        owner: "a",
        leaseMs: MINUTE,
        batchSize: 500,
        pauseMs: 5,
        signal: new AbortController().signal,
        onBatch: (batch) => order.push(`batch:${batch.table}`),
      },
    }).then((result) => {
      order.push("done");
      return result;
    });
    let done = false;
    void pass.then(() => (done = true));
    const latencies: number[] = [];
    for (let i = 0; !done; i++) {
      // Requests arrive from the network: the event loop turns between two of them.
      await new Promise((resolve) => setImmediate(resolve));
      const started = performance.now();
      await store.upsertAttempts([
        makeAttempt({ id: `new-${i}`, startedAt: now - MINUTE, servingAt: now - 30_000 }),
      ]);
      latencies.push(performance.now() - started);
      order.push("ingest");
    }
    expect((await pass).attempts).toBe(20_000);
    const firstBatch = order.indexOf("batch:attempts");
    const lastBatch = order.lastIndexOf("batch:attempts");
    const between = order.slice(firstBatch, lastBatch).filter((step) => step === "ingest");
    // Writes went on between the batches, none waiting long for one.
    expect(between.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect((await storedIds(store)).size).toBe(latencies.length);
  });
});
