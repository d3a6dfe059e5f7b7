import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ATTEMPT_OUTCOMES,
  type AttemptRecordJson,
  DEPENDENCY_NAMES,
  STAGE_KINDS,
  STAGE_STATUSES,
} from "./attempt-record-json.js";
import {
  degradationEpisode,
  generateHistory,
  generateHistoryLines,
  type HistoryOptions,
  iso,
} from "./generate-history.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse("2026-09-01T00:00:00Z");
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const STAGE_NAMES = [
  "validate",
  "approval",
  "stage-artifacts",
  "provision",
  "health-check",
  "shift-traffic",
  "canary",
];
const ENDED_OUTCOMES = ["failed", "rolled_back", "timed_out", "cancelled"];

function history(options: HistoryOptions): AttemptRecordJson[] {
  return [...generateHistory(options)];
}

function ms(text: string | undefined): number {
  if (text === undefined) throw new Error("missing timestamp");
  return Date.parse(text);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function servedDurations(records: readonly AttemptRecordJson[]): number[] {
  return records
    .filter((r) => r.outcome === "succeeded")
    .map((r) => ms(r.servingAt) - ms(r.startedAt));
}

/** Every contract invariant of one history; returns the violations (empty when valid). */
function violations(records: readonly AttemptRecordJson[], options: HistoryOptions): string[] {
  const problems: string[] = [];
  const startMs = typeof options.start === "number" ? options.start : options.start.getTime();
  const endMs = startMs + Math.round(options.days * DAY);
  const snapshot = options.inProgressAtEnd === true;
  const withStages = options.withStages ?? true;
  let previousStart = Number.NEGATIVE_INFINITY;
  const versions = new Map<string, number>();
  const stagedOk = new Map<string, Set<string>>();

  records.forEach((r, index) => {
    const bad = (message: string) => problems.push(`${r.id}: ${message}`);
    const timestamps = [r.startedAt, r.servingAt, r.endedAt];
    for (const stage of r.stages ?? []) timestamps.push(stage.startedAt, stage.endedAt);
    for (const sample of r.dependencies ?? []) timestamps.push(sample.at);
    for (const t of timestamps) {
      if (t !== undefined && (!ISO.test(t) || new Date(Date.parse(t)).toISOString() !== t)) {
        bad(`bad timestamp ${t}`);
      }
    }

    if (r.id !== `att-${index + 1}`) bad("ids are not sequential");
    if (!(ATTEMPT_OUTCOMES as readonly string[]).includes(r.outcome)) bad("unknown outcome");
    if (r.labels?.team === undefined) bad("no team label");
    const started = ms(r.startedAt);
    if (started < previousStart) bad("not in startedAt order");
    previousStart = started;
    if (started < startMs || started >= endMs) bad("starts outside the history");

    const serving = r.servingAt === undefined ? undefined : ms(r.servingAt);
    const ended = r.endedAt === undefined ? undefined : ms(r.endedAt);
    if (r.outcome === "succeeded" && serving === undefined) bad("succeeded without servingAt");
    if (ENDED_OUTCOMES.includes(r.outcome) && ended === undefined) bad("ended without endedAt");
    if (r.outcome === "in_progress" && (serving !== undefined || ended !== undefined)) {
      bad("in_progress with servingAt or endedAt");
    }
    if (serving !== undefined && !["succeeded", "rolled_back"].includes(r.outcome)) {
      bad(`servingAt on a ${r.outcome} attempt`);
    }
    if (serving !== undefined && serving < started) bad("servingAt before startedAt");
    if (ended !== undefined && ended < started) bad("endedAt before startedAt");
    if (serving !== undefined && ended !== undefined && serving > ended) {
      bad("servingAt after endedAt");
    }
    if (snapshot) {
      if ((serving ?? started) > endMs || (ended ?? started) > endMs) bad("time after the end");
    } else {
      if (ended === undefined) bad("unfinished attempt without inProgressAtEnd");
    }
    const last = ended ?? (snapshot ? endMs : Number.POSITIVE_INFINITY);

    // Versions never go backwards; production only promotes versions that passed staging.
    const key = `${r.model}/${r.environment}`;
    const version = Number(r.version);
    if (!Number.isInteger(version) || version < (versions.get(key) ?? 0)) {
      bad("version went backwards");
    }
    versions.set(key, version);
    const passed = stagedOk.get(r.model) ?? new Set<string>();
    stagedOk.set(r.model, passed);
    if (r.environment === "staging" && r.outcome === "succeeded") passed.add(r.version);
    if (r.environment === "production" && passed.size > 0 && !passed.has(r.version)) {
      const newest = Math.max(...[...passed].map(Number));
      if (version > newest) bad("production promoted a version that never passed staging");
    }

    if (!withStages) {
      if ("stages" in r || "dependencies" in r) bad("plain record with stages");
      return;
    }
    const stages = r.stages ?? [];
    if (stages.length === 0) {
      // Only an attempt cancelled or cut off before the controller picked it up has no stages.
      if (!["cancelled", "in_progress"].includes(r.outcome)) bad("no stages");
    } else if (stages[0]?.name !== "validate") {
      bad("does not start with validate");
    }
    for (const stage of stages) {
      const where = `stage ${stage.name}`;
      if (!STAGE_NAMES.includes(stage.name)) bad(`${where}: unknown name`);
      if (!(STAGE_STATUSES as readonly string[]).includes(stage.status)) bad(`${where}: status`);
      if (!(STAGE_KINDS as readonly string[]).includes(stage.kind)) bad(`${where}: kind`);
      if ((stage.kind === "wait") !== (stage.name === "approval")) bad(`${where}: wrong kind`);
      if (stage.name === "approval" && r.environment !== "production") bad("approval in staging");
      if ((stage.endedAt === undefined) !== (stage.status === "in_progress")) {
        bad(`${where}: endedAt present iff not in_progress`);
      }
      if (stage.status === "in_progress" && r.outcome !== "in_progress" && r.endedAt) {
        bad(`${where}: running in an ended attempt`);
      }
      const s = ms(stage.startedAt);
      const e = stage.endedAt === undefined ? undefined : ms(stage.endedAt);
      if (s < started) bad(`${where}: starts before the attempt`);
      if (e !== undefined && e < s) bad(`${where}: ends before it starts`);
      if ((e ?? s) > last) bad(`${where}: ends after the attempt`);
      for (const value of Object.values(stage.attributes ?? {})) {
        if (!["string", "number", "boolean"].includes(typeof value)) bad(`${where}: attribute`);
      }
    }
    const artifacts = stages.find((st) => st.name === "stage-artifacts");
    const provision = stages.find((st) => st.name === "provision");
    if ((artifacts === undefined) !== (provision === undefined)) bad("parallel pair incomplete");
    if (artifacts !== undefined && artifacts.startedAt !== provision?.startedAt) {
      bad("stage-artifacts and provision do not start together");
    }
    if (serving !== undefined) {
      const shift = stages.find((st) => st.name === "shift-traffic");
      if (shift === undefined) bad("served without shift-traffic");
      else if (
        ms(shift.startedAt) > serving ||
        (shift.endedAt !== undefined && ms(shift.endedAt) < serving)
      ) {
        bad("servingAt outside shift-traffic");
      }
    }
    for (const sample of r.dependencies ?? []) {
      if (!(DEPENDENCY_NAMES as readonly string[]).includes(sample.name)) bad("dependency name");
      if (!(Number.isFinite(sample.seconds) && sample.seconds >= 0)) bad("dependency seconds");
      if (Math.abs(sample.seconds * 1000 - Math.round(sample.seconds * 1000)) > 1e-6) {
        bad("dependency seconds finer than 1 ms");
      }
      const at = ms(sample.at);
      if (at < started || at > last) bad("dependency sample outside the attempt");
    }
  });
  return problems;
}

describe("generateHistory", () => {
  const base: HistoryOptions = { seed: 7, start: START, days: 5 };

  it("is deterministic: the same options give identical records", () => {
    expect(history(base)).toEqual(history(base));
    expect(history({ ...base, start: new Date(START) })).toEqual(history(base));
  });

  it("differs for a different seed", () => {
    const a = history(base);
    const b = history({ ...base, seed: 8 });
    expect(a.length).toBeGreaterThan(0);
    expect(JSON.stringify(b)).not.toEqual(JSON.stringify(a));
  });

  it("interleaved generators do not disturb each other", () => {
    const a = generateHistory(base);
    const b = generateHistory(base);
    const fromA: AttemptRecordJson[] = [];
    const fromB: AttemptRecordJson[] = [];
    for (;;) {
      const x = a.next();
      const y = b.next();
      if (x.done === true || y.done === true) break;
      fromA.push(x.value);
      fromB.push(y.value);
    }
    expect(fromA).toEqual(fromB);
    expect(fromA).toEqual(history(base));
  });

  it("keeps every record invariant for many seeds and option mixes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.double({ min: 0.25, max: 4, noNaN: true }),
        fc.integer({ min: 5, max: 120 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 13 * 24 }),
        fc.integer({ min: 0, max: 6 * DAY }),
        (seed, days, attemptsPerDay, inProgressAtEnd, degraded, hours, offset) => {
          const options: HistoryOptions = {
            seed,
            start: START + offset,
            days,
            attemptsPerDay,
            inProgressAtEnd,
            degradation: degraded
              ? { start: START + offset + hours * 3_600_000 - 2 * DAY, hours: 30, peakSlowdown: 8 }
              : false,
          };
          expect(violations(history(options), options)).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("keeps the invariants over a long, busy history", () => {
    const options: HistoryOptions = { seed: 3, start: START, days: 60, inProgressAtEnd: true };
    expect(violations(history(options), options)).toEqual([]);
    const complete: HistoryOptions = { seed: 4, start: START, days: 60, attemptsPerDay: 200 };
    expect(violations(history(complete), complete)).toEqual([]);
  });

  it("has an invariant checker that catches broken records", () => {
    const options: HistoryOptions = { seed: 5, start: START, days: 2 };
    const records = history(options);
    const breakOne = (change: (r: AttemptRecordJson) => void, outcome?: string) => {
      const copy: AttemptRecordJson[] = structuredClone(records);
      const target = copy.find((r) => outcome === undefined || r.outcome === outcome);
      if (target === undefined) throw new Error(`no ${outcome} attempt to break`);
      change(target);
      return violations(copy, options);
    };
    expect(violations(records, options)).toEqual([]);
    expect(breakOne((r) => delete r.servingAt, "succeeded")).not.toEqual([]);
    expect(breakOne((r) => (r.servingAt = "2026-08-31T23:59:59.999Z"), "succeeded")).not.toEqual(
      [],
    );
    expect(breakOne((r) => delete r.endedAt, "failed")).not.toEqual([]);
    expect(breakOne((r) => (r.outcome = "in_progress"), "succeeded")).not.toEqual([]);
    expect(
      breakOne((r) => {
        const stage = r.stages?.[0];
        if (stage !== undefined) delete stage.endedAt;
      }),
    ).not.toEqual([]);
  });

  it("has a realistic outcome mix over 60 days", () => {
    for (const seed of [1, 2, 42, 1234]) {
      const records = history({ seed, start: START, days: 60 });
      expect(records.length).toBeGreaterThan(1500);
      expect(records.length).toBeLessThan(3000);
      const count = (outcome: string) => records.filter((r) => r.outcome === outcome).length;
      const succeeded = count("succeeded") / records.length;
      expect(succeeded, `seed ${seed}`).toBeGreaterThanOrEqual(0.85);
      expect(succeeded, `seed ${seed}`).toBeLessThanOrEqual(0.92);
      for (const outcome of ["failed", "rolled_back", "timed_out", "cancelled"]) {
        expect(count(outcome), `seed ${seed}: ${outcome}`).toBeGreaterThan(3);
      }
      expect(count("in_progress")).toBe(0);
      // Rollbacks after a canary keep their servingAt; most others never served.
      expect(records.some((r) => r.outcome === "rolled_back" && r.servingAt !== undefined)).toBe(
        true,
      );

      const production = records.filter((r) => r.environment === "production");
      const staging = records.filter((r) => r.environment === "staging");
      expect(production.length).toBeGreaterThan(staging.length * 0.3);
      expect(production.length).toBeLessThan(staging.length);
      const prodDurations = servedDurations(production);
      const stagingDurations = servedDurations(staging);
      expect(percentile(prodDurations, 50)).toBeGreaterThan(percentile(stagingDurations, 50));
      expect(percentile(prodDurations, 95)).toBeGreaterThan(percentile(stagingDurations, 95));
      // Heavy tail: p99 well above the median.
      expect(percentile(stagingDurations, 99)).toBeGreaterThan(
        5 * percentile(stagingDurations, 50),
      );
      // Several models and teams, each in both environments.
      const models = new Set(records.map((r) => `${r.model}/${r.environment}`));
      expect(models.size).toBe(8);
    }
  });

  it("concentrates arrivals in office hours on weekdays", () => {
    const records = history({ seed: 5, start: START, days: 28 });
    const at = records.map((r) => new Date(r.startedAt));
    const weekday = at.filter((d) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5);
    const office = weekday.filter((d) => d.getUTCHours() >= 8 && d.getUTCHours() < 18);
    expect(weekday.length / at.length).toBeGreaterThan(0.9);
    expect(office.length / weekday.length).toBeGreaterThan(0.7);
  });

  it("slows registry pulls and deployments during the degradation episode", () => {
    const options: HistoryOptions = { seed: 11, start: START, days: 60 };
    const episode = degradationEpisode(options);
    if (episode === undefined) throw new Error("expected a default degradation episode");
    expect(iso(episode.start)).toBe("2026-10-14T09:00:00.000Z");
    const records = history(options);
    const inside = (r: AttemptRecordJson) => {
      const t = ms(r.startedAt);
      return t >= episode.start + 2 * 3_600_000 && t < episode.end - 4 * 3_600_000;
    };
    const pulls = (rs: AttemptRecordJson[]) =>
      rs.flatMap((r) => r.dependencies ?? []).filter((d) => d.name === "registry_pull");
    const during = records.filter(inside);
    const outside = records.filter((r) => !inside(r));
    const median = (xs: number[]) => percentile(xs, 50);
    expect(median(pulls(during).map((d) => d.seconds))).toBeGreaterThan(
      5 * median(pulls(outside).map((d) => d.seconds)),
    );
    expect(median(servedDurations(during))).toBeGreaterThan(2 * median(servedDurations(outside)));
    const failed = (rs: AttemptRecordJson[]) =>
      rs.filter((r) => r.outcome === "failed").length / rs.length;
    expect(failed(during)).toBeGreaterThan(failed(outside));
  });

  it("changes only the attempts overlapping the episode when degradation is disabled", () => {
    const options: HistoryOptions = { seed: 12, start: START, days: 60 };
    const episode = degradationEpisode(options);
    if (episode === undefined) throw new Error("expected a default degradation episode");
    const withEpisode = history(options);
    const without = history({ ...options, degradation: false });
    expect(without.map((r) => r.startedAt)).toEqual(withEpisode.map((r) => r.startedAt));
    const before = (r: AttemptRecordJson) => ms(r.startedAt) < episode.start - DAY;
    expect(without.filter(before)).toEqual(withEpisode.filter(before));
    const differing = without.filter(
      (r, i) =>
        JSON.stringify({ ...r, version: "" }) !==
        JSON.stringify({ ...withEpisode[i], version: "" }),
    );
    for (const r of differing) {
      expect(ms(r.startedAt)).toBeGreaterThan(episode.start - DAY);
      expect(ms(r.startedAt)).toBeLessThan(episode.end);
    }
    expect(differing.length).toBeGreaterThan(20);
  });

  it("leaves attempts in flight at the end when inProgressAtEnd is set", () => {
    const options: HistoryOptions = { seed: 9, start: START, days: 3, inProgressAtEnd: true };
    const records = history(options);
    const open = records.filter((r) => r.endedAt === undefined);
    expect(records.filter((r) => r.outcome === "in_progress").length).toBeGreaterThanOrEqual(2);
    for (const r of open) {
      const stages = r.stages ?? [];
      expect(stages.length === 0 || stages.some((s) => s.status === "in_progress")).toBe(true);
    }
    // Each carries its pipeline's deadline as its own in-progress timeout, so it ends.
    for (const r of records.filter((x) => x.outcome === "in_progress")) {
      expect([45 * 60, 6 * 3600]).toContain(r.attributes?.timeoutSeconds);
    }
    // Without the snapshot the same attempts run to completion.
    const complete = history({ ...options, inProgressAtEnd: false });
    expect(complete.every((r) => r.endedAt !== undefined)).toBe(true);
  });

  it("emits plain records without stages or dependencies, otherwise identical", () => {
    const options: HistoryOptions = { seed: 21, start: START, days: 4, inProgressAtEnd: true };
    const plain = history({ ...options, withStages: false });
    const full = history(options);
    expect(plain.length).toBe(full.length);
    for (const r of plain) {
      expect(r).not.toHaveProperty("stages");
      expect(r).not.toHaveProperty("dependencies");
    }
    // The fingerprint comes with the stages; a record cut in flight keeps its timeout.
    expect(plain).toEqual(
      full.map(({ stages: _s, dependencies: _d, attributes, ...rest }) =>
        attributes?.timeoutSeconds === undefined
          ? rest
          : { ...rest, attributes: { timeoutSeconds: attributes.timeoutSeconds } },
      ),
    );
  });

  it("upgrades the image tagger's runtime, which then fails its health checks more often", () => {
    const options: HistoryOptions = { seed: 8, start: START, days: 60 };
    const upgraded = history(options);
    const plain = history({ ...options, runtimeUpgrade: false });
    const stagingAt = START + 47 * DAY + 9 * HOUR;
    const upgradeOf = (r: AttemptRecordJson) =>
      r.environment === "production" ? stagingAt + DAY : stagingAt;
    const after = (r: AttemptRecordJson) =>
      r.model === "image-tagger" && Date.parse(r.startedAt) >= upgradeOf(r);
    const healthFailures = (records: AttemptRecordJson[]) =>
      records.filter(
        (r) =>
          after(r) && r.stages?.some((s) => s.name === "health-check" && s.status === "failed"),
      ).length;
    expect(upgraded.filter(after).every((r) => r.attributes?.["runtime.version"] === "24.09")).toBe(
      true,
    );
    expect(plain.filter(after).every((r) => r.attributes?.["runtime.version"] === "24.08")).toBe(
      true,
    );
    expect(healthFailures(upgraded)).toBeGreaterThan(4 * Math.max(1, healthFailures(plain)));
    // Every other attempt is the same record: the upgrade changes nothing else.
    expect(upgraded.filter((r) => r.model !== "image-tagger")).toEqual(
      plain.filter((r) => r.model !== "image-tagger"),
    );
    const before = (r: AttemptRecordJson) =>
      r.model === "image-tagger" && Date.parse(r.startedAt) < stagingAt;
    expect(upgraded.filter(before)).toEqual(plain.filter(before));
  });

  it("formats lines exactly as JSON.stringify of the records", () => {
    for (const withStages of [true, false]) {
      const options: HistoryOptions = {
        seed: 33,
        start: START,
        days: 3,
        withStages,
        inProgressAtEnd: true,
      };
      expect([...generateHistoryLines(options)]).toEqual(
        history(options).map((r) => JSON.stringify(r)),
      );
    }
  });

  it("generates plain records quickly", () => {
    const options: HistoryOptions = {
      seed: 1,
      start: START,
      days: 30,
      attemptsPerDay: 4000,
      withStages: false,
    };
    let bytes = 0;
    let n = 0;
    const t0 = performance.now();
    for (const line of generateHistoryLines(options)) {
      bytes += line.length;
      n += 1;
      if (n === 100_000) break;
    }
    expect(n).toBe(100_000);
    expect(bytes).toBeGreaterThan(0);
    // Generous bound (a slow CI machine does 100k in well under a second or two).
    expect(performance.now() - t0).toBeLessThan(8_000);
  });

  it("rejects invalid options", () => {
    expect(() => history({ seed: 1, start: START, days: 0 })).toThrow(RangeError);
    expect(() => history({ seed: 1, start: Number.NaN, days: 1 })).toThrow(RangeError);
    expect(() => history({ seed: 1, start: START, days: 1, attemptsPerDay: -1 })).toThrow(
      RangeError,
    );
    expect(() => history({ seed: Number.NaN, start: START, days: 1 })).toThrow(RangeError);
  });
});

describe("iso", () => {
  it("matches Date.prototype.toISOString", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (t) => {
        expect(iso(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const t of [0, 1, 999, 86_399_999, 86_400_000, 253402300799999, 253402300800000, -1]) {
      expect(iso(t)).toBe(new Date(t).toISOString());
    }
  });
});
