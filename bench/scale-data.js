// The data of `npm run bench:scale`: a company's three years of promotions (10,000,000 attempts
// by default, BENCH_SCALE_COUNT to change) over 500 models of 25 teams in two environments, each
// attempt with four stages, and the 1,000 SLOs a platform team defines over them. Generated
// from a seed and loaded once into a store file (or PostgreSQL schema) that later runs reuse.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const DAY = 86_400_000;
export const MODELS = 500;
export const TEAMS = 25;
const STAGES = ["validate", "stage-artifacts", "provision", "health-check"];

/** xorshift32: fast, seeded, good enough to spread durations and outcomes. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4_294_967_296;
  };
}

/**
 * Attempt `i` of `count`, spread evenly over `days` days ending at `end`: its model, outcome and
 * stage times come from a per-attempt seed, so any slice is the same whatever else is made.
 */
export function scaleAttempt(i, count, end, days) {
  const r = random(i * 2_654_435_761 + 17);
  const span = days * DAY;
  const startedAt = end - span + Math.floor((i * span) / count) + Math.floor(r() * 1000);
  const model = Math.floor(r() * r() * MODELS); // a few models promote far more than the rest
  const team = model % TEAMS;
  const environment = r() < 0.35 ? "production" : "staging";
  const cold = r() < 0.3;
  let t = startedAt;
  const stages = [];
  let outcome = "succeeded";
  let servingAt = null;
  for (const name of STAGES) {
    const base = { validate: 20, "stage-artifacts": 60, provision: 45, "health-check": 25 }[name];
    const heavy = r() < 0.02 ? 8 : 1; // the tail: a stage occasionally takes far longer
    const ms = Math.round(base * (cold ? 1.8 : 1) * heavy * (0.5 + r()) * 1000);
    const failed = r() < 0.006;
    stages.push({
      name,
      startedAt: t,
      endedAt: t + ms,
      status: failed ? "failed" : "succeeded",
      kind: "active",
      attributes: {},
    });
    t += ms;
    if (failed) {
      outcome = "failed";
      break;
    }
  }
  if (outcome === "succeeded") servingAt = t + Math.round(200 + r() * 800);
  // The newest attempts may still be running: the service must carry them as in progress.
  const open = end - startedAt < 10 * 60_000 && r() < 0.5;
  return {
    id: `s-${i}`,
    model: `model-${String(model).padStart(3, "0")}`,
    version: String(1 + (i % 97)),
    environment,
    labels: { team: `team-${String(team).padStart(2, "0")}`, start: cold ? "cold" : "warm" },
    startedAt,
    servingAt: open ? null : servingAt,
    endedAt: open ? null : (servingAt ?? t),
    outcome: open ? "in_progress" : outcome,
    stages: open
      ? stages.slice(0, 1).map((s) => ({ ...s, endedAt: null, status: "in_progress" }))
      : stages,
    dependencies: [],
    attributes: {},
  };
}

const WINDOWS = ["7d", "30d", "90d", "400d", "{calendar: month}"];

/**
 * The 1,000 SLOs: five company-wide (one per window), four per team (100), and 895 per model
 * and environment; thresholds 3–9 minutes, both budgetings, every window length.
 */
export function scaleSlos() {
  const docs = [];
  const slo = (name, selector, i) =>
    [
      "apiVersion: deployslo/v1",
      "kind: SLO",
      `metadata: {name: ${name}}`,
      "spec:",
      `  selector: ${selector}`,
      `  objective: {threshold: ${3 + (i % 7)}m, target: ${i % 4 === 0 ? "99.9%" : "95%"}}`,
      `  budgeting: ${i % 2 === 0 ? "occurrences" : "excess-time"}`,
      `  window: ${WINDOWS[i % WINDOWS.length]}`,
    ].join("\n");
  let i = 0;
  for (let w = 0; w < 5; w++, i++) docs.push(slo(`company-${w}`, '{model: "*"}', i));
  for (let team = 0; team < TEAMS; team++) {
    for (let k = 0; k < 4; k++, i++) {
      const label = `team-${String(team).padStart(2, "0")}`;
      docs.push(slo(`${label}-${k}`, `{labels: {team: ${label}}}`, i));
    }
  }
  for (let m = 0; i < 1000; m++, i++) {
    const model = `model-${String(Math.floor(m / 2) % MODELS).padStart(3, "0")}`;
    const environment = m % 2 === 0 ? "production" : "staging";
    docs.push(slo(`${model}-${environment}`, `{model: ${model}, environment: ${environment}}`, i));
  }
  return `${docs.join("\n---\n")}\n`;
}

/**
 * Makes sure `location` holds the generated history: loads it when the marker file next to it
 * does not name this count. Returns the history's end instant (the windows are full as of then).
 */
export async function ensureScaleData(location, marker, count, days, log) {
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, "utf8"));
    if (meta.count === count && meta.days === days) return meta.end;
  }
  const { openStore } = await import("../dist/store/open-store.js");
  const { encodeAttempt } = await import("../dist/store/attempt-row.js");
  const end = Date.now();
  const store = await openStore(location);
  const t0 = performance.now();
  const BATCH = 5000;
  for (let from = 0; from < count; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      batch.push(encodeAttempt(scaleAttempt(i, count, end, days)));
    }
    await store.upsertEncodedAttempts(batch);
    if (from % 500_000 === 0 && from > 0) {
      const rate = from / ((performance.now() - t0) / 1000);
      log(`loaded ${from.toLocaleString("en")} attempts (${Math.round(rate)}/s)`);
    }
  }
  await store.close();
  writeFileSync(`${marker}.tmp`, JSON.stringify({ count, days, end }));
  renameSync(`${marker}.tmp`, marker);
  log(
    `loaded ${count.toLocaleString("en")} attempts in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  return end;
}
