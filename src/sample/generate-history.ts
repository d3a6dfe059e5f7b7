/**
 * Deterministic, realistic history of ML model deployment attempts (promote request → first
 * successful production inference), for the bundled example, tests, benchmarks and demos.
 *
 * Everything derives from `options.seed` through a seeded PRNG: the same options always yield
 * the same records, byte for byte. No network, no clock, no `Math.random`. Arrivals and each
 * attempt draw from separate streams, so attempts do not influence one another's timings (only
 * versions depend on earlier outcomes).
 *
 * What is simulated:
 * - Four models owned by four teams (two CPU, two GPU), promoted to `staging` (about two thirds
 *   of attempts) and `production` (fewer, and slower: approval by a policy bot or, for the
 *   fraud detector and the LLM mostly, by a human; more replicas; a ten-minute canary).
 * - Arrivals: a Poisson process whose rate follows the working week (UTC office hours, quiet
 *   nights and weekends). Versions increase per model; production promotes the latest version
 *   that succeeded in staging, and failed attempts are often retried with the same version.
 * - A stage pipeline per attempt: validate → approval (wait, production only) →
 *   stage-artifacts ∥ provision (run in parallel) → health-check → shift-traffic → canary
 *   (skipped in staging). Durations are log-normal with heavy tails; cold starts (new nodes,
 *   nothing cached) are much slower, GPU cold starts slower still.
 * - Outcomes: mostly succeeded (about 90%: staging ~90%, production ~93%), failures in
 *   validation, artifact pulls, provisioning and health checks, rollbacks (traffic shift or
 *   canary), timeouts (stage timeouts, stuck GPU capacity, the attempt deadline) and
 *   cancellations (superseded by a newer build, approval rejected, manual abort).
 * - A degradation episode: a model-registry slowdown lasting a couple of days that makes registry
 *   and image pulls (and so whole deployments) much slower and flakier, so SLO budgets burn.
 * - Environment fingerprints (docs/records.md#environment-fingerprint): each record carries the
 *   serving framework, runtime, CUDA and driver versions and image digest in its attributes (the
 *   hardware is on the provision stage), and its validate stage the `trained.` fingerprint. Two
 *   changes happen: the fraud detector's image is rebuilt (new digest, nothing else changes), and
 *   the image tagger's serving runtime is upgraded, in staging first, then in production, after
 *   which its health checks crash far more often (`runtimeUpgrade`). LLM versions built after
 *   mid-history were trained on a newer CUDA than production serves them with.
 * - Optionally, a snapshot cut: attempts still running at the end of the history are emitted as
 *   they looked at that instant (`in_progress`, running stages without `endedAt`), and a few
 *   promotions requested in the last seconds guarantee that some are in flight.
 *
 * With `withStages: false` the same simulation runs (identical times and outcomes) but only the
 * plain attempt fields are emitted: that path is used for million-record benchmarks.
 */

import type {
  AttemptOutcome,
  AttemptRecordJson,
  AttributeValue,
  DependencyName,
  DependencySampleJson,
  StageKind,
  StageRecordJson,
  StageStatus,
} from "./attempt-record-json.js";
import {
  chance,
  exponential,
  lognormal,
  pickOne,
  pickWeighted,
  type Random,
  seededRandom,
  uniform,
  uniformInt,
} from "./seeded-random.js";

export interface DegradationEpisode {
  /** When the slowdown begins (it ramps up over two hours and recovers over the last four). */
  start: Date | number;
  /** Total length of the episode in hours. */
  hours: number;
  /** Pull throughput is divided by this at the peak, and retries/back-off are added. */
  peakSlowdown: number;
}

export interface HistoryOptions {
  seed: number;
  /** Start of the history (a `Date` or epoch milliseconds). */
  start: Date | number;
  /** Length of the history in days (may be fractional). The history ends at start + days. */
  days: number;
  /** Average number of attempts per day over a week (default 36). */
  attemptsPerDay?: number;
  /** Emit `stages` and `dependencies` (default true). */
  withStages?: boolean;
  /**
   * Cut the history at its end as a live snapshot: attempts still running then are emitted as
   * `in_progress` (or `succeeded` without `endedAt` when they already served), and two or three
   * promotions are requested in the last 20 seconds so that some are in flight. Default false:
   * every attempt started inside the history is emitted complete, even if it ends after the end.
   */
  inProgressAtEnd?: boolean;
  /**
   * The registry slowdown episode. Default: 54 hours starting at 09:00 UTC on day
   * `floor(0.72 · days)` with an 8× peak slowdown. `false` disables it.
   */
  degradation?: DegradationEpisode | false;
  /**
   * Multiplies the duration of a stage (validate, stage-artifacts, provision, health-check) in
   * every attempt, and moves what follows it: a history generated "as if" the stage were faster
   * or slower, with the same draws. Default: 1 for every stage.
   */
  stageFactors?: Readonly<Partial<Record<ScalableStage, number>>>;
  /**
   * The same, applied only on cold starts (on top of `stageFactors`); validate runs before the
   * start is known to be cold, so it is not among them.
   */
  coldStartFactors?: Readonly<Partial<Record<Exclude<ScalableStage, "validate">, number>>>;
  /**
   * The image tagger's serving runtime upgrade (Triton 24.08 → 24.09, CUDA 12.5 → 12.6, a new
   * driver and image). Default: at 09:00 UTC on day `round(0.78 · days)` in staging, a day
   * later in production, with health checks failing 0.4 more often on the new runtime. `false`:
   * no upgrade (the old runtime throughout). Only the fingerprint and the health check change:
   * every other draw is the same.
   */
  runtimeUpgrade?: RuntimeUpgrade | false;
}

export interface RuntimeUpgrade {
  /** The image tagger's attempts started from then on run on the new runtime. */
  staging: Date | number;
  production: Date | number;
  /** Added to the health check's failure probability on the new runtime. */
  extraHealthFailure: number;
}

/** The stages whose duration `stageFactors` and `coldStartFactors` may scale. */
export type ScalableStage = "validate" | "stage-artifacts" | "provision" | "health-check";

export const DEFAULT_ATTEMPTS_PER_DAY = 36;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MB = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Fleet and environment profiles
// ---------------------------------------------------------------------------------------------

interface ModelProfile {
  readonly name: string;
  readonly team: string;
  readonly accelerator: "cpu" | "gpu";
  readonly hardware: string;
  readonly nodePool: string;
  readonly artifactBytes: number;
  readonly imageBytes: number;
  readonly initialVersion: number;
  readonly productionShare: number;
  /** MB/s when loading weights into memory / GPU during the health check. */
  readonly loadMBps: number;
  readonly warmupMs: number;
  readonly firstInferenceMs: number;
  readonly warmCapacityMs: number;
  readonly coldCapacityMs: number;
  /** Probability that a cold start never gets capacity (GPU stock-out) → provision times out. */
  readonly stockout: number;
  readonly quotaFailure: number;
  /** Share of production promotions that need a human sign-off (the rest: policy bot). */
  readonly humanApproval: number;
  /** The serving fingerprint (without the hardware, which the provision stage records). */
  readonly serving: Readonly<Record<string, string>>;
}

const FRAUD_IMAGE = "sha256:3e8b1f6c2a9d4e7f0b5c8a1d6e3f9b2c7a4d0e5f8b1c6a9d2e7f4b0c5a8d1e6f";
const FRAUD_SERVING: Readonly<Record<string, string>> = {
  framework: "scikit-learn",
  "framework.version": "1.5.1",
  runtime: "mlserver",
  "runtime.version": "1.6.0",
  "image.digest": FRAUD_IMAGE,
};

/** The fraud detector's image rebuilt mid-history: a new digest, the same versions. */
const FRAUD_IMAGE_REBUILT =
  "sha256:9c4a2e7b1f8d3c6a0e5b9f2d7c1a4e8b3f6d0a9c5e2b7f1d4a8c3e6b0f9d2a5c";

const TAGGER_OLD: Readonly<Record<string, string>> = {
  framework: "pytorch",
  "framework.version": "2.3.1",
  runtime: "triton",
  "runtime.version": "24.08",
  "cuda.version": "12.5",
  "driver.version": "550.90.07",
  "image.digest": "sha256:1b7e4c9a2f5d8e3b6c0a7f4d1e9b2c5a8f3d6e0b9c4a7f2e5d8b1c6a3f0e9d4b",
};

const TAGGER_NEW: Readonly<Record<string, string>> = {
  ...TAGGER_OLD,
  "runtime.version": "24.09",
  "cuda.version": "12.6",
  "driver.version": "560.35.03",
  "image.digest": "sha256:6f2d9b4e1c7a3f8d0b5e2c9a6d1f4b7e3c8a0d5f2b9e6c1a4d7f3b0e8c5a2d9f",
};

const LLM_SERVING: Readonly<Record<string, string>> = {
  framework: "pytorch",
  "framework.version": "2.4.0",
  runtime: "vllm",
  "runtime.version": "0.5.5",
  "cuda.version": "12.1",
  "driver.version": "535.183.01",
  "image.digest": "sha256:a7c3e9f1d5b2086e4c1a9f7d3b5e2c8a6f4d1b9e7c5a3f2d8b6e4c1a9f7d5b3e",
};

/** Trained on: LLM versions built from mid-history on used a newer CUDA than serving has. */
const LLM_TRAINED_OLD = { "trained.framework.version": "2.4.0", "trained.cuda.version": "12.1" };
const LLM_TRAINED_NEW = { "trained.framework.version": "2.4.0", "trained.cuda.version": "12.4" };

const MODELS: readonly { readonly weight: number; readonly value: ModelProfile }[] = [
  {
    weight: 0.32,
    value: {
      name: "fraud-detector",
      team: "risk",
      accelerator: "cpu",
      hardware: "cpu",
      nodePool: "cpu-general",
      artifactBytes: 180 * MB,
      imageBytes: 850 * MB,
      initialVersion: 6,
      productionShare: 0.4,
      loadMBps: 220,
      warmupMs: 1_500,
      firstInferenceMs: 40,
      warmCapacityMs: 6_000,
      coldCapacityMs: 65_000,
      stockout: 0,
      quotaFailure: 0.002,
      humanApproval: 0.7,
      serving: FRAUD_SERVING,
    },
  },
  {
    weight: 0.26,
    value: {
      name: "churn-predictor",
      team: "growth",
      accelerator: "cpu",
      hardware: "cpu",
      nodePool: "cpu-general",
      artifactBytes: 420 * MB,
      imageBytes: 1_100 * MB,
      initialVersion: 12,
      productionShare: 0.35,
      loadMBps: 200,
      warmupMs: 2_500,
      firstInferenceMs: 120,
      warmCapacityMs: 7_000,
      coldCapacityMs: 70_000,
      stockout: 0,
      quotaFailure: 0.002,
      humanApproval: 0.1,
      serving: {
        framework: "xgboost",
        "framework.version": "2.1.1",
        runtime: "mlserver",
        "runtime.version": "1.6.0",
        "image.digest": "sha256:5d2f8e7a91c4b3062d7e1f9a8c5b4e3d2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d",
      },
    },
  },
  {
    weight: 0.22,
    value: {
      name: "image-tagger",
      team: "vision",
      accelerator: "gpu",
      hardware: "nvidia-t4",
      nodePool: "gpu-t4",
      artifactBytes: 1_600 * MB,
      imageBytes: 3_400 * MB,
      initialVersion: 3,
      productionShare: 0.35,
      loadMBps: 300,
      warmupMs: 8_000,
      firstInferenceMs: 250,
      warmCapacityMs: 15_000,
      coldCapacityMs: 200_000,
      stockout: 0.01,
      quotaFailure: 0.004,
      humanApproval: 0.15,
      serving: TAGGER_OLD,
    },
  },
  {
    weight: 0.2,
    value: {
      name: "llm-assistant",
      team: "genai",
      accelerator: "gpu",
      hardware: "nvidia-a100",
      nodePool: "gpu-a100",
      artifactBytes: 15_000 * MB,
      imageBytes: 6_200 * MB,
      initialVersion: 1,
      productionShare: 0.3,
      loadMBps: 420,
      warmupMs: 20_000,
      firstInferenceMs: 900,
      warmCapacityMs: 25_000,
      coldCapacityMs: 400_000,
      stockout: 0.04,
      quotaFailure: 0.006,
      humanApproval: 0.8,
      serving: LLM_SERVING,
    },
  },
];

interface EnvironmentProfile {
  readonly name: "staging" | "production";
  /** The attempt is aborted (timed_out) if it has not served by startedAt + deadline. */
  readonly deadlineMs: number;
  readonly coldStart: number;
  readonly replicas: readonly [number, number];
  readonly trafficPercent: number;
  readonly validateFailure: number;
  readonly pullFailure: number;
  readonly healthFailure: number;
  readonly healthStuck: number;
  readonly shiftFailure: number;
  readonly canaryRollback: number;
  /** Cancelled before serving (superseded by a newer build, manual abort). */
  readonly cancel: number;
}

const STAGING: EnvironmentProfile = {
  name: "staging",
  deadlineMs: 45 * MINUTE,
  coldStart: 0.35,
  replicas: [1, 1],
  trafficPercent: 100,
  validateFailure: 0.02,
  pullFailure: 0.003,
  healthFailure: 0.022,
  healthStuck: 0.003,
  shiftFailure: 0.003,
  canaryRollback: 0,
  cancel: 0.05,
};

const PRODUCTION: EnvironmentProfile = {
  name: "production",
  deadlineMs: 6 * HOUR,
  coldStart: 0.25,
  replicas: [2, 6],
  trafficPercent: 5,
  validateFailure: 0.004,
  pullFailure: 0.001,
  healthFailure: 0.006,
  healthStuck: 0.001,
  shiftFailure: 0.002,
  canaryRollback: 0.015,
  cancel: 0.01,
};

const APPROVAL_TIMEOUT_MS = 4 * HOUR;
const PROVISION_TIMEOUT_MS = 20 * MINUTE;
const HEALTH_TIMEOUT_MS = 10 * MINUTE;
const CANARY_MS = 10 * MINUTE;
const PROBE_PATH = "/v2/health/ready";

/** Relative arrival rate per UTC hour of the day (office hours are busy, nights quiet). */
const HOUR_SHAPE: readonly number[] = [
  0.12, 0.08, 0.06, 0.06, 0.06, 0.1, 0.2, 0.45, 0.9, 1.3, 1.5, 1.4, 1.0, 1.3, 1.5, 1.45, 1.2, 0.85,
  0.5, 0.35, 0.28, 0.22, 0.18, 0.14,
];
/** Relative arrival rate per UTC day of the week, Sunday first (fewer pushes on Fridays). */
const DAY_FACTOR: readonly number[] = [0.12, 1, 1.05, 1.05, 1, 0.75, 0.1];

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Generates the history in `startedAt` order. Records are fresh objects (safe to mutate). Ids
 * are `att-1`, `att-2`, … in emission order.
 */
export function* generateHistory(options: HistoryOptions): Generator<AttemptRecordJson> {
  const withStages = options.withStages ?? true;
  for (const attempt of simulateHistory(options)) yield toRecord(attempt, withStages);
}

/**
 * The same history as NDJSON lines (without the trailing newline): each line is exactly
 * `JSON.stringify(record)` for the corresponding `generateHistory` record. Plain records
 * (`withStages: false`) are formatted directly, several times faster than building and
 * stringifying objects; that is what million-record benchmark files use.
 */
export function* generateHistoryLines(options: HistoryOptions): Generator<string> {
  const withStages = options.withStages ?? true;
  for (const attempt of simulateHistory(options)) {
    yield withStages ? JSON.stringify(toRecord(attempt, true)) : plainLine(attempt);
  }
}

interface SimulatedAttempt {
  id: string;
  model: ModelProfile;
  env: EnvironmentProfile;
  version: number;
  sim: Simulation;
  /** The serving fingerprint, on the record's attributes. */
  serving: Readonly<Record<string, string>>;
}

function* simulateHistory(options: HistoryOptions): Generator<SimulatedAttempt> {
  const startMs = toEpochMs(options.start, "start");
  if (!(Number.isFinite(options.days) && options.days > 0)) {
    throw new RangeError(`generateHistory: days must be a positive number, got ${options.days}`);
  }
  const attemptsPerDay = options.attemptsPerDay ?? DEFAULT_ATTEMPTS_PER_DAY;
  if (!(Number.isFinite(attemptsPerDay) && attemptsPerDay > 0)) {
    throw new RangeError(
      `generateHistory: attemptsPerDay must be a positive number, got ${attemptsPerDay}`,
    );
  }
  if (!Number.isFinite(options.seed)) {
    throw new RangeError(`generateHistory: seed must be a finite number, got ${options.seed}`);
  }
  const endMs = startMs + Math.round(options.days * DAY);
  const snapshotAt = options.inProgressAtEnd === true ? endMs : undefined;
  const degradation = resolveDegradation(options, startMs);
  const factors: StageFactors = {
    all: options.stageFactors ?? {},
    cold: options.coldStartFactors ?? {},
  };
  const upgrade = resolveRuntimeUpgrade(options, startMs);
  const schedule: FingerprintSchedule = {
    fraudRebuild: startMs + Math.floor(options.days * 0.4) * DAY + 14 * HOUR,
    llmTraining: startMs + Math.floor(options.days * 0.5) * DAY,
  };

  // Independent streams: changing how attempts are simulated does not move arrivals.
  const master = seededRandom(options.seed);
  const arrivals = poissonArrivals(
    seededRandom(streamSeed(master)),
    startMs,
    endMs,
    attemptsPerDay,
  );
  // Each attempt draws from its own stream, so attempts are independent of one another: e.g.
  // disabling the degradation changes only the attempts that overlap it.
  const attemptSeed = streamSeed(master);
  const tail = seededRandom(streamSeed(master));

  // A few promotions in the last seconds so the snapshot has attempts in flight.
  const tailStarts: number[] = [];
  if (snapshotAt !== undefined) {
    const count = 2 + (chance(tail, 0.5) ? 1 : 0);
    for (let i = 0; i < count; i += 1) {
      tailStarts.push(Math.max(startMs, endMs - Math.round(uniform(tail, 2, 20) * SECOND)));
    }
    tailStarts.sort((a, b) => a - b);
  }

  const fleet = new Fleet();
  let emitted = 0;
  let next = arrivals.next();
  let tailIndex = 0;
  for (;;) {
    const tailStart = tailStarts[tailIndex];
    let startedAt: number;
    let officeHours: boolean;
    if (tailStart !== undefined && (next.done === true || tailStart <= next.value)) {
      startedAt = tailStart;
      officeHours = isOfficeHours(startedAt);
      tailIndex += 1;
    } else if (next.done !== true) {
      startedAt = next.value;
      officeHours = isOfficeHours(startedAt);
      next = arrivals.next();
    } else {
      return;
    }
    emitted += 1;
    const rand = seededRandom(attemptSeed + emitted);
    const model = pickWeighted(rand, MODELS);
    // Production promotions mostly happen when people are at work.
    const productionShare = model.productionShare * (officeHours ? 1.12 : 0.45);
    const env = chance(rand, productionShare) ? PRODUCTION : STAGING;
    const version = fleet.versionFor(rand, model, env, startedAt);
    const upgradedAt = upgrade?.[env.name];
    const upgraded =
      model.serving === TAGGER_OLD && upgradedAt !== undefined && startedAt >= upgradedAt;
    const extraHealthFailure = upgraded ? (upgrade?.extraHealthFailure ?? 0) : 0;
    let sim = simulateAttempt(
      rand,
      model,
      env,
      startedAt,
      degradation,
      factors,
      extraHealthFailure,
    );
    if (snapshotAt !== undefined) sim = cutAtSnapshot(sim, snapshotAt);
    fleet.record(model, env, version, sim);
    const builtAt = fleet.builtAt(model, version);
    const serving = fingerprintOf(model, sim, startedAt, upgraded, builtAt, schedule);
    yield { id: `att-${emitted}`, model, env, version, sim, serving };
  }
}

interface FingerprintSchedule {
  /** The fraud detector's image is rebuilt (a new digest only). */
  readonly fraudRebuild: number;
  /** LLM versions built from then on were trained on CUDA 12.4. */
  readonly llmTraining: number;
}

/**
 * The serving fingerprint of an attempt; an LLM attempt's validate stage also gets the
 * fingerprint its version was trained with. Draws nothing.
 */
function fingerprintOf(
  model: ModelProfile,
  sim: Simulation,
  startedAt: number,
  upgraded: boolean,
  builtAt: number | undefined,
  schedule: FingerprintSchedule,
): Readonly<Record<string, string>> {
  if (upgraded) return TAGGER_NEW;
  if (model.serving === FRAUD_SERVING && startedAt >= schedule.fraudRebuild)
    return { ...FRAUD_SERVING, "image.digest": FRAUD_IMAGE_REBUILT };
  if (model.serving === LLM_SERVING) {
    const validate = sim.stages.find((stage) => stage.name === "validate");
    const trained =
      builtAt !== undefined && builtAt >= schedule.llmTraining ? LLM_TRAINED_NEW : LLM_TRAINED_OLD;
    if (validate !== undefined) Object.assign(validate.attributes, trained);
  }
  return model.serving;
}

// ---------------------------------------------------------------------------------------------
// Arrivals and versions
// ---------------------------------------------------------------------------------------------

/** Non-homogeneous Poisson arrivals by thinning; integer epoch ms in ascending order. */
function* poissonArrivals(
  rand: Random,
  startMs: number,
  endMs: number,
  attemptsPerDay: number,
): Generator<number> {
  let weekly = 0;
  for (const day of DAY_FACTOR) for (const hour of HOUR_SHAPE) weekly += day * hour;
  const perHour = (attemptsPerDay * 7) / weekly;
  const maxRate = perHour * Math.max(...DAY_FACTOR) * Math.max(...HOUR_SHAPE);
  const meanGapMs = HOUR / maxRate;
  let t = startMs;
  for (;;) {
    t += exponential(rand, meanGapMs);
    if (t >= endMs) return;
    const at = Math.floor(t);
    const rate = perHour * dayFactor(at) * hourShape(at);
    if (rand() * maxRate < rate) yield at;
  }
}

const RETRIED: ReadonlySet<AttemptOutcome> = new Set(["failed", "timed_out", "rolled_back"]);

interface ModelState {
  latestBuilt: number;
  /** When each version after the initial one was first built (its first staging attempt). */
  built: Map<number, number>;
  latestStagedOk: number;
  production: number;
  lastStaging:
    | { version: number; outcome: AttemptOutcome; endedAt: number | undefined }
    | undefined;
}

/** Tracks versions per model: builds land in staging first, production follows. */
class Fleet {
  private readonly states = new Map<string, ModelState>();

  versionFor(rand: Random, model: ModelProfile, env: EnvironmentProfile, at: number): number {
    const state = this.state(model);
    if (env.name === "production") {
      return Math.max(state.production, state.latestStagedOk);
    }
    const last = state.lastStaging;
    // Often retry a version whose promotion failed (once that attempt has finished) rather
    // than building a new one; cancelled attempts were superseded by a newer build anyway.
    // Both draws happen either way, so that the attempt's other draws never depend on history.
    const retry = chance(rand, 0.6);
    const rebuild = chance(rand, 0.6);
    const failed = last !== undefined && RETRIED.has(last.outcome);
    if (failed && last.endedAt !== undefined && last.endedAt <= at && retry) return last.version;
    // Otherwise mostly a fresh build, sometimes a redeploy of the newest one (config change).
    if (rebuild) {
      state.latestBuilt += 1;
      state.built.set(state.latestBuilt, at);
    }
    return state.latestBuilt;
  }

  record(model: ModelProfile, env: EnvironmentProfile, version: number, sim: Simulation): void {
    const state = this.state(model);
    const ok = sim.outcome === "succeeded";
    if (env.name === "production") {
      if (ok) state.production = Math.max(state.production, version);
      return;
    }
    state.lastStaging = { version, outcome: sim.outcome, endedAt: sim.endedAt };
    if (ok) state.latestStagedOk = Math.max(state.latestStagedOk, version);
  }

  builtAt(model: ModelProfile, version: number): number | undefined {
    return this.state(model).built.get(version);
  }

  private state(model: ModelProfile): ModelState {
    let state = this.states.get(model.name);
    if (state === undefined) {
      const v = model.initialVersion;
      state = {
        latestBuilt: v,
        built: new Map(),
        latestStagedOk: v,
        production: v,
        lastStaging: undefined,
      };
      this.states.set(model.name, state);
    }
    return state;
  }
}

// ---------------------------------------------------------------------------------------------
// Attempt simulation (all times are integer epoch milliseconds)
// ---------------------------------------------------------------------------------------------

type StageName =
  | "validate"
  | "approval"
  | "stage-artifacts"
  | "provision"
  | "health-check"
  | "shift-traffic"
  | "canary";

interface Stage {
  name: StageName;
  kind: StageKind;
  start: number;
  end: number | undefined;
  status: StageStatus;
  attributes: Record<string, AttributeValue>;
}

interface Sample {
  name: DependencyName;
  ms: number;
  at: number;
}

interface Simulation {
  startedAt: number;
  stages: Stage[];
  samples: Sample[];
  servingAt: number | undefined;
  endedAt: number | undefined;
  outcome: AttemptOutcome;
}

/** A stage that ends the attempt early. */
interface Termination {
  at: number;
  outcome: "failed" | "timed_out";
}

interface StageResult {
  stage: Stage;
  samples: Sample[];
  termination: Termination | undefined;
}

export interface Degradation {
  readonly start: number;
  readonly end: number;
  readonly peak: number;
}

interface StageFactors {
  readonly all: Readonly<Partial<Record<ScalableStage, number>>>;
  readonly cold: Readonly<Partial<Record<Exclude<ScalableStage, "validate">, number>>>;
}

function simulateAttempt(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  startedAt: number,
  degradation: Degradation | undefined,
  factors: StageFactors,
  extraHealthFailure: number,
): Simulation {
  return applyInterrupts(
    rand,
    env,
    simulatePipeline(rand, model, env, startedAt, degradation, factors, extraHealthFailure),
  );
}

/**
 * Scales a stage's duration by its factor (and the cold-start one on a cold start), in place:
 * an end that terminated the attempt moves with it. Draws nothing, so the history's other
 * draws are unchanged.
 */
function stretch(result: StageResult, factors: StageFactors, coldStart: boolean): StageResult {
  const name = result.stage.name as ScalableStage;
  const cold = coldStart && name !== "validate" ? (factors.cold[name] ?? 1) : 1;
  const factor = (factors.all[name] ?? 1) * cold;
  const end = result.stage.end;
  if (factor === 1 || end === undefined) return result;
  const scaled = result.stage.start + Math.round((end - result.stage.start) * factor);
  result.stage.end = scaled;
  if (result.termination !== undefined && result.termination.at === end)
    result.termination.at = scaled;
  return result;
}

/** The attempt as it would run without cancellation or the attempt deadline. */
function simulatePipeline(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  startedAt: number,
  degradation: Degradation | undefined,
  factors: StageFactors,
  extraHealthFailure: number,
): Simulation {
  const sim: Simulation = {
    startedAt,
    stages: [],
    samples: [],
    servingAt: undefined,
    endedAt: undefined,
    outcome: "succeeded",
  };
  const finish = (outcome: AttemptOutcome, at: number): Simulation => {
    sim.outcome = outcome;
    sim.endedAt = at;
    return sim;
  };
  const production = env.name === "production";
  const artifactBytes = Math.round(model.artifactBytes * uniform(rand, 0.88, 1.12));

  // The controller picks the promote request up.
  let t = startedAt + jitter(rand, 1_200);

  // validate: checksum the artifact, scan the image.
  const validate = stretch(validateStage(rand, env, artifactBytes, t), factors, false);
  sim.stages.push(validate.stage);
  if (validate.termination !== undefined) return finish("failed", validate.termination.at);
  t = stageEnd(validate.stage) + gap(rand);

  // approval (production only): a policy bot or a human.
  if (production) {
    const approval = approvalStage(rand, model, t);
    sim.stages.push(approval.stage);
    if (approval.stage.status === "cancelled") return finish("cancelled", stageEnd(approval.stage));
    if (approval.stage.status === "timed_out") return finish("timed_out", stageEnd(approval.stage));
    t = stageEnd(approval.stage) + gap(rand);
  }

  // stage-artifacts ∥ provision: a cold start means a new node, nothing cached.
  const coldStart = chance(rand, env.coldStart + (model.accelerator === "gpu" ? 0.1 : 0));
  const slowdown = slowdownAt(degradation, t);
  const artifacts = stretch(
    artifactsStage(rand, model, env, artifactBytes, coldStart, slowdown, t),
    factors,
    coldStart,
  );
  const provision = stretch(provisionStage(rand, model, env, coldStart, t), factors, coldStart);
  sim.stages.push(artifacts.stage, provision.stage);
  const termination = earliest(artifacts.termination, provision.termination);
  if (termination !== undefined) {
    for (const stage of [artifacts.stage, provision.stage]) {
      if (stageEnd(stage) > termination.at) {
        stage.end = termination.at;
        stage.status = "cancelled";
      }
    }
    for (const s of [...artifacts.samples, ...provision.samples]) {
      if (s.at <= termination.at) sim.samples.push(s);
    }
    return finish(termination.outcome, termination.at);
  }
  sim.samples.push(...artifacts.samples, ...provision.samples);
  t = Math.max(stageEnd(artifacts.stage), stageEnd(provision.stage)) + gap(rand);

  // health-check: load the weights, warm up, wait for readiness.
  const health = stretch(
    healthStage(rand, model, env, artifactBytes, t, extraHealthFailure),
    factors,
    coldStart,
  );
  sim.stages.push(health.stage);
  if (health.termination !== undefined) {
    return finish(health.termination.outcome, health.termination.at);
  }
  t = stageEnd(health.stage) + gap(rand);

  return servingStages(rand, model, env, sim, t);
}

/** shift-traffic, then canary (production only): the stages from the new version's start. */
function servingStages(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  sim: Simulation,
  t: number,
): Simulation {
  const finish = (outcome: AttemptOutcome, at: number): Simulation => {
    sim.outcome = outcome;
    sim.endedAt = at;
    return sim;
  };
  const production = env.name === "production";
  // shift-traffic: route traffic, wait for the mesh, first successful inference.
  const shiftStart = t;
  const routeMs = jitter(rand, 300);
  const meshMs = ms(
    lognormal(rand, 2_500, 0.6) * (chance(rand, 0.03) ? lognormal(rand, 6, 0.5) : 1),
  );
  const firstInferenceMs = ms(lognormal(rand, model.firstInferenceMs, 0.5));
  const shift: Stage = {
    name: "shift-traffic",
    kind: "active",
    start: shiftStart,
    end: undefined,
    status: "succeeded",
    attributes: { trafficPercent: env.trafficPercent, mesh: "istio" },
  };
  sim.stages.push(shift);
  sim.samples.push({ name: "infra_api", ms: routeMs, at: shiftStart + routeMs });
  sim.samples.push({ name: "mesh_propagation", ms: meshMs, at: shiftStart + routeMs + meshMs });
  if (chance(rand, env.shiftFailure)) {
    // Requests to the new version error out: traffic is routed back automatically.
    const failedAt = shiftStart + routeMs + meshMs + ms(lognormal(rand, 8_000, 0.6));
    shift.end = failedAt;
    shift.status = "failed";
    shift.attributes.error = "inference_errors";
    return finish("rolled_back", failedAt + ms(lognormal(rand, 15_000, 0.4)));
  }
  sim.servingAt = shiftStart + routeMs + meshMs + firstInferenceMs;
  shift.end = sim.servingAt + jitter(rand, 400);

  // canary: production only; analysis of error rate and latency at a small traffic share.
  if (!production) {
    sim.stages.push({
      name: "canary",
      kind: "active",
      start: shift.end,
      end: shift.end,
      status: "skipped",
      attributes: { reason: "not_production" },
    });
    return finish("succeeded", shift.end);
  }
  const canaryStart = shift.end + gap(rand);
  const canaryMs = CANARY_MS + ms(uniform(rand, 0, 45 * SECOND));
  const canary: Stage = {
    name: "canary",
    kind: "active",
    start: canaryStart,
    end: canaryStart + canaryMs,
    status: "succeeded",
    attributes: { trafficPercent: env.trafficPercent, verdict: "pass" },
  };
  sim.stages.push(canary);
  if (chance(rand, env.canaryRollback)) {
    const failedAt = canaryStart + Math.round(canaryMs * uniform(rand, 0.15, 1));
    canary.end = failedAt;
    canary.status = "failed";
    canary.attributes.verdict = "fail";
    canary.attributes.metric = pickOne(rand, ["error_rate", "p99_latency", "prediction_drift"]);
    return finish("rolled_back", failedAt + ms(lognormal(rand, 20_000, 0.4)));
  }
  return finish("succeeded", stageEnd(canary));
}

function validateStage(
  rand: Random,
  env: EnvironmentProfile,
  artifactBytes: number,
  start: number,
): StageResult {
  const checksumMs = ms((artifactBytes / (lognormal(rand, 450, 0.3) * MB)) * SECOND);
  const scanMs = ms(lognormal(rand, 9_000, 0.5));
  const end = start + checksumMs + scanMs + jitter(rand, 400);
  const stage: Stage = {
    name: "validate",
    kind: "active",
    start,
    end,
    status: "succeeded",
    attributes: { checksum: "sha256", findings: 0 },
  };
  if (!chance(rand, env.validateFailure)) return { stage, samples: [], termination: undefined };
  stage.status = "failed";
  if (chance(rand, 0.3)) {
    stage.end = start + checksumMs;
    stage.attributes.error = "checksum_mismatch";
  } else {
    stage.attributes.findings = uniformInt(rand, 1, 4);
    stage.attributes.error = "critical_vulnerability";
  }
  return { stage, samples: [], termination: { at: stageEnd(stage), outcome: "failed" } };
}

function approvalStage(rand: Random, model: ModelProfile, start: number): StageResult {
  const automated = !chance(rand, model.humanApproval);
  const officeHours = isOfficeHours(start);
  const waitMs = automated
    ? ms(lognormal(rand, 4_000, 0.5))
    : ms(lognormal(rand, officeHours ? 7 * MINUTE : 35 * MINUTE, officeHours ? 1 : 0.9));
  const stage: Stage = {
    name: "approval",
    kind: "wait",
    start,
    end: start + waitMs,
    status: "succeeded",
    attributes: { automated, approver: automated ? "policy-bot" : `${model.team}-leads` },
  };
  if (!automated && chance(rand, 0.04)) {
    stage.status = "cancelled";
    stage.attributes.rejected = true;
  } else if (waitMs > APPROVAL_TIMEOUT_MS) {
    stage.status = "timed_out";
    stage.end = start + APPROVAL_TIMEOUT_MS;
  }
  return { stage, samples: [], termination: undefined };
}

function artifactsStage(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  artifactBytes: number,
  coldStart: boolean,
  slowdown: number,
  start: number,
): StageResult {
  // Model weights always come from the registry; the image is cached on warm nodes.
  const registryStart = start + jitter(rand, 150);
  const registryMs = ms(
    (jitter(rand, 350) +
      (artifactBytes / ((lognormal(rand, 180, 0.35) * MB) / slowdown)) * SECOND +
      backoffMs(rand, slowdown)) *
      (chance(rand, 0.03) ? lognormal(rand, 2.5, 0.4) : 1),
  );
  const imageStart = start + jitter(rand, 150);
  const imageBytes = coldStart ? model.imageBytes : 0;
  const imageMs = ms(
    jitter(rand, 600) * slowdown +
      (imageBytes / ((lognormal(rand, 120, 0.4) * MB) / slowdown)) * SECOND +
      backoffMs(rand, slowdown),
  );
  const registryEnd = registryStart + registryMs;
  const imageEnd = imageStart + imageMs;
  const stage: Stage = {
    name: "stage-artifacts",
    kind: "active",
    start,
    end: Math.max(registryEnd, imageEnd) + jitter(rand, 1_200),
    status: "succeeded",
    attributes: { bytesPulled: artifactBytes + imageBytes, coldStart },
  };
  const samples: Sample[] = [{ name: "image_pull", ms: imageMs, at: imageEnd }];
  // Pulls fail far more often while the registry is degraded.
  const failure = env.pullFailure + (slowdown > 1 ? 0.01 * (slowdown - 1) : 0);
  if (chance(rand, Math.min(failure, 0.2))) {
    const failedAt = registryStart + Math.round(registryMs * uniform(rand, 0.2, 1));
    stage.end = failedAt;
    stage.status = "failed";
    stage.attributes.error = "registry_unavailable";
    return { stage, samples, termination: { at: failedAt, outcome: "failed" } };
  }
  samples.push({ name: "registry_pull", ms: registryMs, at: registryEnd });
  return { stage, samples, termination: undefined };
}

function provisionStage(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  coldStart: boolean,
  start: number,
): StageResult {
  const replicas = uniformInt(rand, env.replicas[0], env.replicas[1]);
  const createMs = ms(
    lognormal(rand, 350, 0.5) * (chance(rand, 0.02) ? lognormal(rand, 8, 0.5) : 1),
  );
  const stage: Stage = {
    name: "provision",
    kind: "active",
    start,
    end: undefined,
    status: "succeeded",
    attributes: { hardware: model.hardware, nodePool: model.nodePool, replicas, coldStart },
  };
  const samples: Sample[] = [{ name: "infra_api", ms: createMs, at: start + createMs }];
  if (chance(rand, model.quotaFailure)) {
    stage.end = start + createMs + ms(lognormal(rand, 1_500, 0.5));
    stage.status = "failed";
    stage.attributes.error = "quota_exceeded";
    return { stage, samples, termination: { at: stage.end, outcome: "failed" } };
  }
  const replicaFactor = 1 + 0.06 * (replicas - 1);
  const capacityMs = ms(
    (coldStart
      ? lognormal(rand, model.coldCapacityMs, 0.35)
      : lognormal(rand, model.warmCapacityMs, 0.5)) * replicaFactor,
  );
  const readyMs = ms(lognormal(rand, 500, 0.6));
  const containerMs = jitter(rand, 3_500);
  const stockout = coldStart && chance(rand, model.stockout);
  const end = start + createMs + capacityMs + readyMs + containerMs;
  if (stockout || end - start > PROVISION_TIMEOUT_MS) {
    stage.end = start + PROVISION_TIMEOUT_MS;
    stage.status = "timed_out";
    stage.attributes.error = "insufficient_capacity";
    return { stage, samples, termination: { at: stage.end, outcome: "timed_out" } };
  }
  stage.end = end;
  samples.push({ name: "infra_api", ms: readyMs, at: start + createMs + capacityMs + readyMs });
  return { stage, samples, termination: undefined };
}

function healthStage(
  rand: Random,
  model: ModelProfile,
  env: EnvironmentProfile,
  artifactBytes: number,
  start: number,
  extraHealthFailure: number,
): StageResult {
  const loadMs = ms((artifactBytes / (lognormal(rand, model.loadMBps, 0.3) * MB)) * SECOND);
  const readyMs = loadMs + ms(lognormal(rand, model.warmupMs, 0.4)) + jitter(rand, 2_500);
  const stage: Stage = {
    name: "health-check",
    kind: "active",
    start,
    end: start + readyMs,
    status: "succeeded",
    attributes: { probe: PROBE_PATH, loadSeconds: Math.round(loadMs / 100) / 10 },
  };
  const r = rand();
  const failure = env.healthFailure + extraHealthFailure;
  if (r < failure) {
    stage.end = start + Math.round(readyMs * uniform(rand, 0.3, 1));
    stage.status = "failed";
    stage.attributes.error = pickOne(rand, ["crash_loop", "oom_killed", "probe_failed"]);
    return { stage, samples: [], termination: { at: stage.end, outcome: "failed" } };
  }
  if (r < failure + env.healthStuck || readyMs > HEALTH_TIMEOUT_MS) {
    stage.end = start + HEALTH_TIMEOUT_MS;
    stage.status = "timed_out";
    stage.attributes.error = "never_ready";
    return { stage, samples: [], termination: { at: stage.end, outcome: "timed_out" } };
  }
  return { stage, samples: [], termination: undefined };
}

/** Cancellation before serving and the attempt deadline, applied to a finished simulation. */
function applyInterrupts(rand: Random, env: EnvironmentProfile, sim: Simulation): Simulation {
  // The attempt can only be cancelled or time out before it served or stopped on its own.
  let natural = sim.servingAt ?? sim.startedAt;
  if (sim.servingAt === undefined)
    for (const stage of sim.stages) natural = Math.max(natural, stageEnd(stage));
  if (chance(rand, env.cancel)) {
    const at = sim.startedAt + Math.floor((natural - sim.startedAt) * rand());
    return interrupt(sim, at, "cancelled");
  }
  const deadline = sim.startedAt + env.deadlineMs;
  if (natural > deadline) return interrupt(sim, deadline, "timed_out");
  return sim;
}

/** Stops the attempt at `at` (before it served): running stages take `status`. */
function interrupt(sim: Simulation, at: number, status: "cancelled" | "timed_out"): Simulation {
  const stages: Stage[] = [];
  for (const stage of sim.stages) {
    if (stage.start > at) continue;
    if (stageEnd(stage) > at) {
      stage.end = at;
      stage.status = status;
    }
    stages.push(stage);
  }
  sim.stages = stages;
  sim.samples = sim.samples.filter((s) => s.at <= at);
  sim.servingAt = undefined;
  sim.endedAt = at;
  sim.outcome = status;
  return sim;
}

/**
 * The attempt as seen at `at`: if it had not ended by then, running stages are `in_progress`
 * without an end, later stages and samples are dropped; an attempt that already served is
 * `succeeded` (it has reached its SLI event) but has no `endedAt` yet.
 */
function cutAtSnapshot(sim: Simulation, at: number): Simulation {
  if (sim.endedAt !== undefined && sim.endedAt <= at) return sim;
  const stages: Stage[] = [];
  for (const stage of sim.stages) {
    if (stage.start > at) continue;
    if (stageEnd(stage) > at) {
      stage.end = undefined;
      stage.status = "in_progress";
    }
    stages.push(stage);
  }
  sim.stages = stages;
  sim.samples = sim.samples.filter((s) => s.at <= at);
  const served = sim.servingAt !== undefined && sim.servingAt <= at;
  if (!served) sim.servingAt = undefined;
  sim.outcome = served ? "succeeded" : "in_progress";
  sim.endedAt = undefined;
  return sim;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

function toRecord(attempt: SimulatedAttempt, withStages: boolean): AttemptRecordJson {
  const { id, model, env, version, sim } = attempt;
  // Keys in the documented order: id … startedAt, servingAt, endedAt, outcome, stages, ….
  const head: Omit<AttemptRecordJson, "outcome"> = {
    id,
    model: model.name,
    version: String(version),
    environment: env.name,
    labels: { team: model.team, accelerator: model.accelerator },
    startedAt: iso(sim.startedAt),
  };
  if (sim.servingAt !== undefined) head.servingAt = iso(sim.servingAt);
  if (sim.endedAt !== undefined) head.endedAt = iso(sim.endedAt);
  const record: AttemptRecordJson = Object.assign(head, { outcome: sim.outcome });
  if (withStages) {
    record.stages = sim.stages.map(stageJson);
    if (sim.samples.length > 0) {
      record.dependencies = sim.samples
        .sort((a, b) => a.at - b.at)
        .map((s): DependencySampleJson => ({ name: s.name, seconds: s.ms / 1000, at: iso(s.at) }));
    }
  }
  // An attempt cut in flight carries its pipeline's deadline, so that it ends (as timed_out,
  // unless something records its end) instead of staying in progress for ever.
  const timeout = sim.outcome === "in_progress" ? { timeoutSeconds: env.deadlineMs / 1000 } : {};
  // Plain records (million-record benchmarks) stay plain: the fingerprint comes with the stages.
  if (withStages) record.attributes = { ...attempt.serving, ...timeout };
  else if (sim.outcome === "in_progress") record.attributes = timeout;
  return record;
}

/** `JSON.stringify(toRecord(attempt, false))`, assembled directly (all strings are JSON-safe). */
function plainLine(attempt: SimulatedAttempt): string {
  const { id, model, env, version, sim } = attempt;
  let line = `{"id":"${id}","model":"${model.name}","version":"${version}","environment":"${env.name}","labels":{"team":"${model.team}","accelerator":"${model.accelerator}"},"startedAt":"${iso(sim.startedAt)}"`;
  if (sim.servingAt !== undefined) line += `,"servingAt":"${iso(sim.servingAt)}"`;
  if (sim.endedAt !== undefined) line += `,"endedAt":"${iso(sim.endedAt)}"`;
  line += `,"outcome":"${sim.outcome}"`;
  if (sim.outcome === "in_progress")
    line += `,"attributes":{"timeoutSeconds":${env.deadlineMs / 1000}}`;
  return `${line}}`;
}

function stageJson(stage: Stage): StageRecordJson {
  const head: Omit<StageRecordJson, "status" | "kind"> = {
    name: stage.name,
    startedAt: iso(stage.start),
  };
  if (stage.end !== undefined) head.endedAt = iso(stage.end);
  return Object.assign(head, {
    status: stage.status,
    kind: stage.kind,
    attributes: stage.attributes,
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * The registry slowdown episode the options describe (`undefined` when disabled), in epoch ms:
 * pulls are slower and flakier for attempts whose artifact staging starts in `[start, end)`.
 */
export function degradationEpisode(options: HistoryOptions): Degradation | undefined {
  return resolveDegradation(options, toEpochMs(options.start, "start"));
}

function resolveDegradation(options: HistoryOptions, startMs: number): Degradation | undefined {
  const d = options.degradation;
  if (d === false) return undefined;
  if (d === undefined) {
    const start = startMs + Math.floor(options.days * 0.72) * DAY + 9 * HOUR;
    return { start, end: start + 54 * HOUR, peak: 8 };
  }
  const start = toEpochMs(d.start, "degradation.start");
  if (!(d.hours > 0 && d.peakSlowdown >= 1)) {
    throw new RangeError("generateHistory: degradation needs hours > 0 and peakSlowdown >= 1");
  }
  return { start, end: start + Math.round(d.hours * HOUR), peak: d.peakSlowdown };
}

function resolveRuntimeUpgrade(
  options: HistoryOptions,
  startMs: number,
): { staging: number; production: number; extraHealthFailure: number } | undefined {
  const u = options.runtimeUpgrade;
  if (u === false) return undefined;
  if (u === undefined) {
    const staging = startMs + Math.round(options.days * 0.78) * DAY + 9 * HOUR;
    return { staging, production: staging + DAY, extraHealthFailure: 0.4 };
  }
  if (!(u.extraHealthFailure >= 0 && u.extraHealthFailure <= 1)) {
    throw new RangeError("generateHistory: runtimeUpgrade.extraHealthFailure must be in [0, 1]");
  }
  return {
    staging: toEpochMs(u.staging, "runtimeUpgrade.staging"),
    production: toEpochMs(u.production, "runtimeUpgrade.production"),
    extraHealthFailure: u.extraHealthFailure,
  };
}

/** 1 outside the episode; ramps to the peak over 2 h and back to 1 over the last 4 h. */
function slowdownAt(d: Degradation | undefined, at: number): number {
  if (d === undefined || at < d.start || at >= d.end) return 1;
  const shape = Math.min(1, (at - d.start) / (2 * HOUR), (d.end - at) / (4 * HOUR));
  return 1 + (d.peak - 1) * shape;
}

/** Retries and back-off against an overloaded registry (0 when healthy). */
function backoffMs(rand: Random, slowdown: number): number {
  const perUnit = lognormal(rand, 45_000, 0.7); // drawn either way: same stream use
  return slowdown > 1 ? perUnit * (slowdown - 1) : 0;
}

function earliest(a: Termination | undefined, b: Termination | undefined): Termination | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.at < a.at ? b : a;
}

function stageEnd(stage: Stage): number {
  return stage.end ?? stage.start;
}

/** Hand-off between consecutive stages. */
function gap(rand: Random): number {
  return jitter(rand, 250);
}

/**
 * A small component that barely varies: uniform in [0.5, 1.5) × typical, whole ms. Cheaper
 * than a log-normal draw, which matters for million-record histories.
 */
function jitter(rand: Random, typicalMs: number): number {
  return ms(typicalMs * (0.5 + rand()));
}

/** A positive whole number of milliseconds. */
function ms(x: number): number {
  return Math.max(1, Math.round(x));
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** Years 0000–9999, where `toISOString` has its plain `YYYY-MM-DDTHH:mm:ss.sssZ` form. */
const MAX_PLAIN_ISO_MS = 253402300799999;
let isoDay = Number.NaN;
let isoDayPrefix = "";

/**
 * `new Date(ms).toISOString()` for integer `ms`, several times faster: consecutive timestamps
 * mostly share a day, so the `YYYY-MM-DDT` prefix is cached and the time is assembled from
 * lookup tables.
 */
export function iso(ms: number): string {
  if (!(Number.isInteger(ms) && ms >= 0 && ms <= MAX_PLAIN_ISO_MS)) {
    return new Date(ms).toISOString();
  }
  const day = Math.floor(ms / DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / SECOND);
  const millis = rest - seconds * SECOND;
  return `${isoDayPrefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}

function toEpochMs(value: Date | number, what: string): number {
  const ms = typeof value === "number" ? value : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`generateHistory: invalid ${what}`);
  return Math.round(ms);
}

function streamSeed(master: Random): number {
  return Math.floor(master() * 4294967296);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

function dayFactor(at: number): number {
  // 1970-01-01 was a Thursday (4).
  return DAY_FACTOR[mod(Math.floor(at / DAY) + 4, 7)] ?? 0;
}

function hourShape(at: number): number {
  return HOUR_SHAPE[Math.floor(mod(at, DAY) / HOUR)] ?? 0;
}

/** Monday–Friday, 08:00–18:00 UTC. */
function isOfficeHours(at: number): boolean {
  const weekday = mod(Math.floor(at / DAY) + 4, 7);
  const hour = Math.floor(mod(at, DAY) / HOUR);
  return weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 18;
}
