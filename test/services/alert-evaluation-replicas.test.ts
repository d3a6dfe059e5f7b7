import { expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { startAlertEvaluationLoop } from "../../src/jobs/start-alert-evaluation-loop.js";
import { startDeliveryLoop } from "../../src/jobs/start-delivery-loop.js";
import { createNotifiers } from "../../src/notify/notifiers.js";
import { silentLogger } from "../../src/services/service-logger.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import {
  HEALTHY,
  pagingSloWithoutHysteresis,
  REGRESSION_START,
  slowAttempt,
} from "../support/alert-scenario.js";
import { startReceiver } from "../support/http-receiver.js";
import { HOUR, MINUTE } from "../support/make-attempt.js";
import { makeTarget } from "../support/make-target.js";

// Restarts and replicas, not settling, are under test here.
const slo = pagingSloWithoutHysteresis();
const EPISODES = 3;
/** Longer than the evaluator's lease (1.5 s at a 1 ms interval): either replica may take it. */
const STEP_MS = 40_000;
const END = REGRESSION_START + EPISODES * 2 * HOUR;

/** The webhook body's fields this test reads (docs/notifications.md#webhook). */
interface Sent {
  readonly key: string;
  readonly state: string;
  readonly startsAt: string;
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    // SQLite replicas are separate processes (one file lock, waited for synchronously); two
    // stores in one process would block each other, so this is PostgreSQL's case.
    it.runIf(dialect.name === "postgres")(
      "enqueues and delivers each transition exactly once with two replicas evaluating concurrently",
      { timeout: 120_000 },
      async () => {
        const receiver = await startReceiver();
        try {
          const seed = await db.open();
          await seed.upsertAttempts([
            ...HEALTHY,
            ...Array.from({ length: EPISODES }, (_, i) =>
              slowAttempt(REGRESSION_START + i * 2 * HOUR),
            ),
          ]);
          // Both replicas read one virtual clock that the test moves; each round of either
          // replica sees whatever instant it is, so rounds interleave as they happen to. The
          // clock moves on only once some round has committed as of the current instant, so a
          // slow machine cannot skip an episode (that would be sampling, not duplication).
          let clock = REGRESSION_START;
          const now = () => clock;
          let committedAt = Number.NEGATIVE_INFINITY;
          // The first round that brings a transition stalls before committing (a long GC
          // pause, say) until the clock has moved two steps: its lease runs out, the other
          // replica evaluates the same transition at a later instant, and the stalled round's
          // commit must then write nothing.
          let stalledAt: number | null = null;
          let staleCommits = 0;
          const targets = new Map([
            ["hook", makeTarget("webhook", `${receiver.url}/hook`, { name: "hook" })],
          ]);
          const replicas = await Promise.all(
            ["replica-a", "replica-b"].map(async (owner) => {
              const store = await db.open();
              const engine = new SloEngine(store, [slo]);
              await engine.refresh();
              // Observes (does not change) what the real store answers.
              const granted = { count: 0, at: Number.NEGATIVE_INFINITY };
              const acquire = store.acquireLease.bind(store);
              store.acquireLease = async (claim) => {
                const ok = await acquire(claim);
                if (ok) {
                  granted.count++;
                  granted.at = claim.now;
                }
                return ok;
              };
              // A stall stops the whole process, its lease renewals too.
              let stalling = false;
              const renew = store.renewLease.bind(store);
              store.renewLease = async (claim) => (stalling ? false : renew(claim));
              const record = store.recordAlertEvaluation.bind(store);
              store.recordAlertEvaluation = async (evaluation) => {
                const roundAt = granted.at;
                const stall = stalledAt === null && evaluation.notifications.length > 0;
                if (stall) {
                  stalledAt = roundAt;
                  stalling = true;
                  const until = roundAt + 2 * STEP_MS;
                  while (clock < until) await new Promise((resolve) => setTimeout(resolve, 1));
                  stalling = false;
                }
                const ok = await record(evaluation);
                if (stall && ok) staleCommits++;
                if (ok) committedAt = Math.max(committedAt, roundAt);
                return ok;
              };
              const alerts = startAlertEvaluationLoop(
                { store, engine, clock: { now, sleep: systemClock.sleep }, logger: silentLogger },
                { owner, intervalMs: 1 },
              );
              // Delivery runs on the real clock: its leases must outlast a real HTTP request
              // (the virtual clock races through them). Virtual instants are in the past, so
              // every notification is due at once.
              const delivery = startDeliveryLoop(
                {
                  store,
                  targets: () => targets,
                  notifiers: createNotifiers(systemClock),
                  clock: systemClock,
                  random: () => 0,
                  logger: silentLogger,
                },
                owner,
                { intervalMs: 5, maxBackoffMs: 50 },
              );
              return { store, alerts, delivery, granted };
            }),
          );
          // Every 40 s of virtual time the lease (1.5 s) runs out, so whichever replica comes
          // first takes it: the evaluator moves between them while both keep trying.
          while (clock < END) {
            const stepDeadline = Date.now() + 30_000;
            // The stalled instant is passed without a commit; the next ones need one.
            while (committedAt < clock && stalledAt !== clock) {
              if (Date.now() > stepDeadline) throw new Error(`no round committed at ${clock}`);
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
            clock += STEP_MS;
          }
          const deadline = Date.now() + 60_000;
          const done = async () => {
            const list = await seed.listNotificationDeliveries({}, 100);
            return list.length === 2 * EPISODES && list.every((d) => d.status === "delivered");
          };
          while (!(await done()) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          for (const replica of replicas) {
            await replica.alerts.stop();
            await replica.delivery.stop();
          }

          const sent = receiver.requests.map((request) => JSON.parse(request.body) as Sent);
          expect(sent.map((n) => n.state)).toEqual(
            Array.from({ length: EPISODES }, () => ["firing", "resolved"]).flat(),
          );
          expect(new Set(sent.map((n) => n.key)).size).toBe(2 * EPISODES);
          for (let i = 0; i < EPISODES; i++) {
            const firing = sent[2 * i];
            const resolved = sent[2 * i + 1];
            expect(resolved?.startsAt).toBe(firing?.startsAt);
            const regression = REGRESSION_START + i * 2 * HOUR;
            const startsAt = Date.parse(firing?.startsAt ?? "");
            expect(startsAt).toBeGreaterThanOrEqual(regression + 10 * MINUTE);
            expect(startsAt).toBeLessThan(regression + HOUR);
          }
          const outbox = await seed.listNotificationDeliveries({}, 100);
          expect(outbox.map((d) => [d.status, d.attempts])).toEqual(
            Array.from({ length: 2 * EPISODES }, () => ["delivered", 1]),
          );
          const transitions = await seed.listAlertTransitions({}, 100);
          expect(transitions.filter((t) => t.state === "firing")).toHaveLength(EPISODES);
          expect(transitions.filter((t) => t.state === "resolved")).toHaveLength(EPISODES);
          // The stall happened, and the stalled round was refused.
          expect(stalledAt).not.toBeNull();
          expect(staleCommits).toBe(0);
          // Both replicas evaluated at some point (the lease moved between them).
          expect(replicas.map((r) => r.granted.count > 0)).toEqual([true, true]);
        } finally {
          await receiver.close();
        }
      },
    );
  });
}
