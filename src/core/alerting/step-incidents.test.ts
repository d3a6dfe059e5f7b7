import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HEALTHY,
  pagingSlo,
  REGRESSION_START,
  slowAttempt,
} from "../../../test/support/alert-scenario.js";
import { DAY, HOUR, MINUTE, makeAttempt, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import { AttemptTables } from "../evaluation/attempt-tables.js";
import { VerdictSeries } from "../evaluation/verdict-series.js";
import type { Slo } from "../spec/slo.js";
import type { AlertRecord } from "./alert-record.js";
import { type AlertRound, evaluateAlerts } from "./alert-round.js";
import { replayAlerts } from "./replay-alerts.js";
import type { IncidentRecord } from "./step-incidents.js";

function tablesOf(slos: readonly Slo[], attempts: readonly Attempt[]): AttemptTables {
  const tables = AttemptTables.forSlos(slos);
  for (const attempt of attempts) tables.add(attempt);
  return tables;
}

/** Runs the service's rounds at `instants`, carrying states and incidents. */
function rounds(slos: readonly Slo[], attempts: readonly Attempt[], instants: readonly number[]) {
  const tables = tablesOf(slos, attempts);
  let states: AlertRecord[] = [];
  let open: IncidentRecord[] = [];
  const out: AlertRound[] = [];
  for (const at of instants) {
    const round = evaluateAlerts(slos, tables, states, at, open);
    states = round.states;
    open = round.incidents;
    out.push(round);
  }
  return out;
}

/** The default rules (two pages, a ticket), the guards off, notifying `hook`. */
function twoPageSlo(name: string, fields: Partial<Slo> = {}): Slo {
  const base = pagingSlo();
  const defaults = pagingSlo({ name }).alerting;
  return pagingSlo({
    name,
    alerting: {
      ...defaults,
      rules: [
        ...base.alerting.rules,
        { ...(base.alerting.rules[0] ?? expect.fail()), name: "medium-burn", factor: 6 },
      ],
      forecast: { horizonMs: 3 * DAY },
    },
    ...fields,
  });
}

const slow = [0, 1, 2].map((i) => slowAttempt(REGRESSION_START + i * MINUTE, `slow-${i}`));
const instants = Array.from({ length: 40 }, (_, i) => REGRESSION_START + i * MINUTE);

describe("incidents", () => {
  it("pages once for two page rules of one SLO, naming the most severe and listing the other", () => {
    const slo = twoPageSlo("prod-deploys");
    const all = rounds([slo], [...HEALTHY, ...slow], instants);
    const notes = all.flatMap((r) => r.notifications);
    const pages = notes.filter((n) => n.severity === "page" && n.state === "firing");
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ alert: "fast-burn", slos: ["prod-deploys"] });
    expect(pages[0]?.annotations.also_firing).toBe("medium-burn");
    const ruleFirings = all
      .flatMap((r) => r.transitions)
      .filter((t) => t.severity === "page" && t.state === "firing");
    expect(ruleFirings.map((t) => t.alert)).toEqual(["fast-burn", "medium-burn"]);
  });

  it("groups a twin SLO (same selector) into the open incident, and resolves both at once", () => {
    const a = twoPageSlo("prod-deploys");
    const b = twoPageSlo("prod-deploys-time", { budgeting: "excess-time" });
    const later = Array.from({ length: 3 * 60 }, (_, i) => REGRESSION_START + i * MINUTE);
    // Three good attempts after the slow ones: the pages settle.
    const good = [60, 70, 80].map((m) =>
      makeAttempt({
        id: `good-${m}`,
        startedAt: REGRESSION_START + m * MINUTE,
        servingAt: REGRESSION_START + (m + 3) * MINUTE,
      }),
    );
    const all = rounds([a, b], [...HEALTHY, ...slow, ...good], later);
    const notes = all.flatMap((r) => r.notifications).filter((n) => n.severity === "page");
    expect(notes.map((n) => [n.state, n.slo, n.slos])).toEqual([
      ["firing", "prod-deploys", ["prod-deploys"]],
      ["resolved", "prod-deploys", ["prod-deploys", "prod-deploys-time"]],
    ]);
    expect(new Set(notes.map((n) => n.incident)).size).toBe(1);
    expect(all.flatMap((r) => r.incidentTransitions).map((t) => [t.state, t.slo])).toEqual([
      ["firing", "prod-deploys"],
      ["joined", "prod-deploys-time"],
      ["resolved", "prod-deploys"],
    ]);
  });

  it("does not group SLOs over other attempts, or with group: false", () => {
    const a = twoPageSlo("prod-deploys", {
      selector: { environment: "production", model: null, labels: {} },
    });
    const staging = twoPageSlo("staging", {
      selector: { environment: "staging", model: null, labels: {} },
    });
    const solo = twoPageSlo("solo");
    const aloneSolo = { ...solo, alerting: { ...solo.alerting, group: false } };
    const stagingSlow = slow.map((attempt) => ({
      ...attempt,
      id: `s-${attempt.id}`,
      environment: "staging",
    }));
    const all = rounds([a, staging, aloneSolo], [...HEALTHY, ...slow, ...stagingSlow], instants);
    const pages = all
      .flatMap((r) => r.notifications)
      .filter((n) => n.severity === "page" && n.state === "firing");
    expect(pages.map((n) => n.slo)).toEqual(["prod-deploys", "staging", "solo"]);
  });

  it("tells a joining SLO's own targets of the incident, with the same incident key", () => {
    const a = twoPageSlo("prod-deploys");
    const b = twoPageSlo("prod-deploys-time");
    const other = { ...b, alerting: { ...b.alerting, notify: ["hook", "pager"] } };
    const all = rounds([a, other], [...HEALTHY, ...slow], instants);
    const firing = all.flatMap((r) => r.notifications).filter((n) => n.state === "firing");
    expect(firing.map((n) => [n.slo, n.targets, n.slos])).toEqual([
      ["prod-deploys", ["hook"], ["prod-deploys"]],
      ["prod-deploys", ["pager"], ["prod-deploys", "prod-deploys-time"]],
    ]);
    expect(firing[0]?.key).toBe(firing[1]?.key);
  });

  it("inhibits a ticket of an SLO while its page fires, and tells it once the page resolved", () => {
    const base = twoPageSlo("prod-deploys");
    const [page] = base.alerting.rules;
    if (page === undefined) throw new Error("no rule");
    const slo: Slo = {
      ...base,
      alerting: {
        ...base.alerting,
        forecast: { horizonMs: null },
        rules: [
          { ...page, keepFiringForMs: 0 },
          {
            ...page,
            name: "slow-burn",
            severity: "ticket",
            longWindowMs: 6 * HOUR,
            shortWindowMs: HOUR,
            factor: 1,
            keepFiringForMs: 0,
          },
        ],
      },
    };
    const all = rounds([slo], [...HEALTHY, ...slow], instants);
    const notes = all.flatMap((r) => r.notifications);
    const transitions = all.flatMap((r) => r.transitions);
    const pageFired = transitions.find((t) => t.alert === "fast-burn" && t.state === "firing");
    const pageResolved = transitions.find((t) => t.alert === "fast-burn" && t.state === "resolved");
    const ticketFired = transitions.find((t) => t.alert === "slow-burn" && t.state === "firing");
    expect(ticketFired?.at).toBe(pageFired?.at);
    expect(pageResolved).toBeDefined();
    expect(notes.map((n) => [n.alert, n.state, n.at, n.startsAt])).toEqual([
      ["fast-burn", "firing", pageFired?.at, pageFired?.at],
      ["fast-burn", "resolved", pageResolved?.at, pageFired?.at],
      // Inhibited while the page fired; told when it resolved, since when it fires.
      ["slow-burn", "firing", pageResolved?.at, ticketFired?.at],
    ]);
  });

  it("adopts a page notified before incidents existed, so an upgrade sends no second page", () => {
    const slo = twoPageSlo("prod-deploys");
    const [first] = rounds([slo], [...HEALTHY, ...slow], [REGRESSION_START + 12 * MINUTE]);
    const page = first?.notifications[0] ?? expect.fail();
    const legacy = (first?.states ?? []).map((state) =>
      state.alert === "fast-burn" ? { ...state, firing: page } : state,
    );
    const tables = tablesOf([slo], [...HEALTHY, ...slow]);
    const next = evaluateAlerts([slo], tables, legacy, REGRESSION_START + 13 * MINUTE, []);
    expect(next.notifications).toEqual([]);
    expect(next.incidents.map((i) => [i.key, i.notified])).toEqual([[page.incident, [page]]]);
    expect(next.states.every((s) => s.firing === null)).toBe(true);
  });
});

describe("replay and the service", () => {
  it("give the same transitions and notifications, step for step", () => {
    const slo = twoPageSlo("prod-deploys");
    const twin = twoPageSlo("prod-deploys-time");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hour: fc.integer({ min: 0, max: 47 }),
            minutes: fc.integer({ min: 2, max: 40 }),
          }),
          { maxLength: 25 },
        ),
        (shape) => {
          const attempts = shape.map(({ hour, minutes }, i) =>
            makeAttempt({
              id: `p-${i}`,
              startedAt: REGRESSION_START + hour * HOUR,
              servingAt: REGRESSION_START + hour * HOUR + minutes * MINUTE,
            }),
          );
          const all = [...HEALTHY, ...attempts];
          const steps = Array.from(
            { length: 50 * 4 },
            (_, i) => REGRESSION_START + i * 15 * MINUTE,
          );
          const end = steps.at(-1) ?? T0;
          const served = rounds([slo, twin], all, steps);
          const replay = replayAlerts(
            [slo, twin].map((s) => ({ slo: s, series: VerdictSeries.of(s, all, end) })),
            steps,
          );
          expect(replay.transitions).toEqual(served.flatMap((r) => r.transitions));
          expect(replay.notifications).toEqual(served.flatMap((r) => r.notifications));
        },
      ),
      { numRuns: 15 },
    );
  });
});
