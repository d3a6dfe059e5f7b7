import type { Attempt, Outcome } from "../attempt/attempt.js";
import { nearestRank } from "../primitives/percentile.js";
import { type DurationSummary, durationSummary } from "./duration-summary.js";
import {
  FINGERPRINT_KEYS,
  type Fingerprint,
  type FingerprintKey,
  fingerprintText,
  REFERENCES,
  type Reference,
  referenceFingerprint,
  servingFingerprint,
} from "./environment-fingerprint.js";
import { fisherExact } from "./fisher-exact.js";

const FAILURES: ReadonlySet<Outcome> = new Set(["failed", "rolled_back", "timed_out"]);

/** How attempts under one fingerprint went. */
export interface OutcomeFigures {
  readonly attempts: number;
  /** Ended succeeded, failed, rolled back or timed out (cancelled and running ones are left out). */
  readonly finished: number;
  readonly failures: number;
  /** failures / finished; null with none finished. */
  readonly failureRate: number | null;
  /** Deployment durations (servingAt − startedAt) of the attempts that succeeded. */
  readonly durations: DurationSummary;
}

export interface FingerprintGroup extends OutcomeFigures {
  readonly fingerprint: Fingerprint;
  /** fingerprintText; empty for the attempts that carry no fingerprint key. */
  readonly text: string;
  readonly models: readonly string[];
  readonly environments: readonly string[];
  readonly first: number;
  readonly last: number;
}

export interface Difference {
  readonly key: FingerprintKey;
  readonly against: Reference;
  readonly serving: string;
  readonly reference: string;
}

export interface MismatchedAttempt {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly startedAt: number;
  readonly outcome: Outcome;
  readonly differences: readonly Difference[];
}

export interface Mismatches {
  /** Attempts that carry a serving and a validated or trained value of one key at least. */
  readonly checked: number;
  readonly mismatched: OutcomeFigures;
  readonly matching: OutcomeFigures;
  /** Per key, reference and pair of values: how many attempts differ so. */
  readonly differences: readonly (Difference & { readonly attempts: number })[];
  /** The mismatched attempts, latest first, at most `maxListed`. */
  readonly attempts: readonly MismatchedAttempt[];
}

export interface ShiftTest {
  /** Two-sided Fisher exact p-value. */
  readonly pValue: number;
  /** pValue below the report's per-test threshold. */
  readonly significant: boolean;
}

export interface FingerprintChange {
  readonly model: string;
  readonly environment: string;
  /** startedAt of the first attempt with the new fingerprint. */
  readonly at: number;
  readonly attemptId: string;
  readonly from: Fingerprint;
  readonly to: Fingerprint;
  readonly changed: readonly {
    readonly key: FingerprintKey;
    readonly from: string | null;
    readonly to: string | null;
  }[];
  /** The last `compare` attempts with the old fingerprint and the first `compare` with the new. */
  readonly before: OutcomeFigures;
  readonly after: OutcomeFigures;
  readonly failureRate: ShiftTest;
  /** Share of succeeded attempts above the p95 of both sides together, before against after. */
  readonly p95: ShiftTest;
  /** A significant shift of the failure rate or of the p95. */
  readonly coincides: boolean;
}

export interface EnvironmentDrift {
  readonly attempts: number;
  readonly fingerprints: readonly FingerprintGroup[];
  readonly mismatches: Mismatches;
  readonly compare: number;
  readonly alpha: number;
  /** alpha over the number of tests (two per change): Bonferroni, so flaps rarely flag. */
  readonly testThreshold: number;
  readonly changes: readonly FingerprintChange[];
}

export interface DriftInput {
  readonly attempts: readonly Attempt[];
  /** Attempts compared on each side of a change. */
  readonly compare: number;
  /** Family-wise significance level of the change tests. */
  readonly alpha: number;
  readonly maxListed: number;
}

export function outcomeFigures(attempts: readonly Attempt[]): OutcomeFigures {
  let finished = 0;
  let failures = 0;
  const durations: number[] = [];
  for (const a of attempts) {
    if (FAILURES.has(a.outcome)) {
      finished += 1;
      failures += 1;
    } else if (a.outcome === "succeeded") {
      finished += 1;
      if (a.servingAt !== null) durations.push(a.servingAt - a.startedAt);
    }
  }
  durations.sort((x, y) => x - y);
  return {
    attempts: attempts.length,
    finished,
    failures,
    failureRate: finished === 0 ? null : failures / finished,
    durations: durationSummary(durations),
  };
}

function byFingerprint(series: readonly Segment[][], bare: readonly Attempt[]): FingerprintGroup[] {
  const groups = new Map<string, { fingerprint: Fingerprint; attempts: Attempt[] }>();
  const add = (fingerprint: Fingerprint, attempts: readonly Attempt[]) => {
    const text = fingerprintText(fingerprint);
    const group = groups.get(text) ?? { fingerprint, attempts: [] };
    group.attempts.push(...attempts);
    groups.set(text, group);
  };
  for (const list of series) for (const segment of list) add(segment.fingerprint, segment.attempts);
  if (bare.length > 0) add({}, bare);
  return [...groups.entries()]
    .map(([text, g]) => ({
      ...outcomeFigures(g.attempts),
      fingerprint: g.fingerprint,
      text,
      models: [...new Set(g.attempts.map((a) => a.model))].sort(),
      environments: [...new Set(g.attempts.map((a) => a.environment))].sort(),
      first: Math.min(...g.attempts.map((a) => a.startedAt)),
      last: Math.max(...g.attempts.map((a) => a.startedAt)),
    }))
    .sort((x, y) => (x.text === "" ? 1 : y.text === "" ? -1 : x.text.localeCompare(y.text)));
}

function differencesOf(attempt: Attempt): { compared: boolean; differences: Difference[] } {
  const serving = servingFingerprint(attempt);
  const differences: Difference[] = [];
  let compared = false;
  for (const against of REFERENCES) {
    const reference = referenceFingerprint(attempt, against);
    for (const key of FINGERPRINT_KEYS) {
      const s = serving[key];
      const r = reference[key];
      if (s === undefined || r === undefined) continue;
      compared = true;
      if (s !== r) differences.push({ key, against, serving: s, reference: r });
    }
  }
  return { compared, differences };
}

function mismatches(attempts: readonly Attempt[], maxListed: number): Mismatches {
  const mismatched: MismatchedAttempt[] = [];
  const matching: Attempt[] = [];
  const counts = new Map<string, Difference & { attempts: number }>();
  for (const attempt of attempts) {
    const { compared, differences } = differencesOf(attempt);
    if (!compared) continue;
    if (differences.length === 0) {
      matching.push(attempt);
      continue;
    }
    const { id, model, version, environment, startedAt, outcome } = attempt;
    mismatched.push({ id, model, version, environment, startedAt, outcome, differences });
    for (const d of differences) {
      const key = JSON.stringify([d.key, d.against, d.serving, d.reference]);
      const count = counts.get(key) ?? { ...d, attempts: 0 };
      count.attempts += 1;
      counts.set(key, count);
    }
  }
  const byId = new Map(attempts.map((a) => [a.id, a]));
  mismatched.sort((x, y) => y.startedAt - x.startedAt || x.id.localeCompare(y.id));
  return {
    checked: mismatched.length + matching.length,
    mismatched: outcomeFigures(mismatched.flatMap((m) => byId.get(m.id) ?? [])),
    matching: outcomeFigures(matching),
    differences: [...counts.values()].sort(
      (x, y) => y.attempts - x.attempts || x.key.localeCompare(y.key),
    ),
    attempts: mismatched.slice(0, maxListed),
  };
}

/** Share above the pooled p95, before against after (a quantile test by Fisher's exact test). */
function p95PValue(before: readonly Attempt[], after: readonly Attempt[]): number {
  const served = (list: readonly Attempt[]) =>
    list.flatMap((a) =>
      a.outcome === "succeeded" && a.servingAt !== null ? [a.servingAt - a.startedAt] : [],
    );
  const b = served(before);
  const c = served(after);
  const pooled = [...b, ...c].sort((x, y) => x - y);
  const cut = nearestRank(pooled, pooled.length, 95);
  if (cut === undefined) return 1;
  const above = (list: number[]) => list.filter((ms) => ms > cut).length;
  return fisherExact(above(b), b.length - above(b), above(c), c.length - above(c));
}

interface Segment {
  /** The union of its attempts' fingerprints: they agree on every key they share. */
  fingerprint: Partial<Record<FingerprintKey, string>>;
  readonly attempts: Attempt[];
}

/** Whether two fingerprints agree on every key both record (a missing key is unknown, not changed). */
function agrees(a: Fingerprint, b: Fingerprint): boolean {
  return FINGERPRINT_KEYS.every(
    (key) => a[key] === undefined || b[key] === undefined || a[key] === b[key],
  );
}

/**
 * Per model and environment in time order, runs of consecutive attempts whose fingerprints agree
 * (an attempt that failed before the stage recording the hardware still belongs to its run);
 * and the attempts that record no fingerprint key at all.
 */
function segments(attempts: readonly Attempt[]): { series: Segment[][]; bare: Attempt[] } {
  const series = new Map<string, Segment[]>();
  const bare: Attempt[] = [];
  const ordered = [...attempts].sort(
    (x, y) => x.startedAt - y.startedAt || x.id.localeCompare(y.id),
  );
  for (const attempt of ordered) {
    const fingerprint = servingFingerprint(attempt);
    if (fingerprintText(fingerprint) === "") {
      bare.push(attempt);
      continue;
    }
    const key = JSON.stringify([attempt.model, attempt.environment]);
    const list = series.get(key) ?? [];
    const last = list.at(-1);
    if (last !== undefined && agrees(last.fingerprint, fingerprint)) {
      last.fingerprint = { ...last.fingerprint, ...fingerprint };
      last.attempts.push(attempt);
    } else list.push({ fingerprint: { ...fingerprint }, attempts: [attempt] });
    series.set(key, list);
  }
  return { series: [...series.values()], bare };
}

function changedKeys(from: Fingerprint, to: Fingerprint): FingerprintChange["changed"] {
  return FINGERPRINT_KEYS.filter((key) => from[key] !== to[key]).map((key) => ({
    key,
    from: from[key] ?? null,
    to: to[key] ?? null,
  }));
}

/**
 * Environment drift over a history: failure rate and durations per serving fingerprint; the
 * attempts whose serving fingerprint differs from the one the model was validated or trained
 * with; and, per model and environment in time order, each change of fingerprint with the
 * `compare` attempts before and after it, flagged when the failure rate or the p95 shifted
 * (two-sided Fisher exact tests, Bonferroni over all the report's tests: docs/insight.md).
 */
export function environmentDrift(input: DriftInput): EnvironmentDrift {
  const pending: Omit<FingerprintChange, "failureRate" | "p95" | "coincides">[] = [];
  const pValues: { failure: number; p95: number }[] = [];
  const { series, bare } = segments(input.attempts);
  for (const list of series) {
    for (let i = 1; i < list.length; i += 1) {
      const prev = list[i - 1];
      const next = list[i];
      const first = next?.attempts[0];
      if (prev === undefined || next === undefined || first === undefined) continue;
      const before = prev.attempts.slice(-input.compare);
      const after = next.attempts.slice(0, input.compare);
      const b = outcomeFigures(before);
      const a = outcomeFigures(after);
      pending.push({
        model: first.model,
        environment: first.environment,
        at: first.startedAt,
        attemptId: first.id,
        from: prev.fingerprint,
        to: next.fingerprint,
        changed: changedKeys(prev.fingerprint, next.fingerprint),
        before: b,
        after: a,
      });
      pValues.push({
        failure: fisherExact(
          b.failures,
          b.finished - b.failures,
          a.failures,
          a.finished - a.failures,
        ),
        p95: p95PValue(before, after),
      });
    }
  }
  const testThreshold = pending.length === 0 ? input.alpha : input.alpha / (2 * pending.length);
  const changes = pending.map((change, i) => {
    const p = pValues[i] ?? { failure: 1, p95: 1 };
    const failureRate = { pValue: p.failure, significant: p.failure < testThreshold };
    const p95 = { pValue: p.p95, significant: p.p95 < testThreshold };
    return { ...change, failureRate, p95, coincides: failureRate.significant || p95.significant };
  });
  changes.sort(
    (x, y) =>
      x.at - y.at || x.model.localeCompare(y.model) || x.environment.localeCompare(y.environment),
  );
  return {
    attempts: input.attempts.length,
    fingerprints: byFingerprint(series, bare),
    mismatches: mismatches(input.attempts, input.maxListed),
    compare: input.compare,
    alpha: input.alpha,
    testThreshold,
    changes,
  };
}
