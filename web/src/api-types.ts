// The JSON shapes of the API endpoints the dashboard reads (docs/api.md); numbers are shown as
// the API computed them.

export type SloState = "ok" | "burning" | "exhausted";

export interface SloStatus {
  name: string;
  description: string | null;
  indicator:
    | { type: "deployment" }
    | { type: "stage"; stage: string }
    | { type: "dependency"; dependency: string };
  window: {
    kind: "rolling" | "calendar";
    length: string;
    start: string;
    end: string;
    lengthSeconds: number;
  };
  thresholdSeconds: number;
  target: number;
  percentile: number | null;
  budgeting: "occurrences" | "excess-time";
  eligible: number;
  good: number;
  bad: number;
  inProgress: number;
  compliance: number | null;
  met: boolean;
  errorBudget: {
    total: number;
    consumed: number;
    remaining: number;
    remainingRatio: number;
    unit: "attempts" | "seconds";
    perAttemptSeconds: number | null;
  };
  burnRates: Record<"1h" | "6h" | "1d" | "3d" | "window", number>;
  /** When the budget runs out at the 3-day burn rate; null when it never does (docs/semantics.md). */
  forecast: { exhaustsAt: string | null };
  percentiles: Record<"p50" | "p90" | "p95" | "p99" | "max", number | null>;
}

export interface OverviewSlo extends SloStatus {
  state: SloState;
  selector: { model: string | null; environment: string | null; labels: Record<string, string> };
}

export interface InProgressAttempt {
  id: string;
  model: string;
  version: string;
  environment: string;
  startedAt: string;
  elapsedSeconds: number;
  thresholdSeconds: number | null;
  slos: string[];
  currentStage: string | null;
  /** When it is recorded as timed_out unless its end is recorded first. */
  timeoutAt: string;
  /** In progress past its threshold and half its in-progress timeout. */
  stale: boolean;
}

export interface Overview {
  at: string;
  models: string[];
  environments: string[];
  slos: OverviewSlo[];
  inProgress: InProgressAttempt[];
  inProgressTruncated: boolean;
  sample: boolean;
}

export interface HistoryPoint {
  at: string;
  eligible: number;
  bad: number;
  compliance: number | null;
  remainingRatio: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SloDetail {
  slo: SloStatus;
  history: HistoryPoint[];
}

export interface Histogram {
  edges: number[];
  counts: number[];
  overflow: number;
  thresholdSeconds: number;
  total: number;
  withoutDuration: number;
}

export interface AttemptSummary {
  id: string;
  model: string;
  version: string;
  environment: string;
  outcome: string;
  startedAt: string;
  durationSeconds: number | null;
  measuredSeconds: number | null;
  overThreshold: boolean | null;
  slowestStage: { name: string; seconds: number } | null;
}

export type AttributeValue = string | number | boolean;

export interface StageRecord {
  name: string;
  startedAt: string;
  endedAt?: string;
  status: string;
  kind: "active" | "wait";
  attributes?: Record<string, AttributeValue>;
}

export interface AttemptRecord {
  id: string;
  model: string;
  version: string;
  environment: string;
  labels?: Record<string, string>;
  startedAt: string;
  servingAt?: string;
  endedAt?: string;
  outcome: string;
  stages?: StageRecord[];
  dependencies?: {
    name: string;
    seconds: number;
    at?: string;
    attributes?: Record<string, AttributeValue>;
  }[];
  attributes?: Record<string, AttributeValue>;
}

export interface AttemptTrace {
  attempt: AttemptRecord;
  criticalPath: number[];
  slos: { name: string; thresholdSeconds: number }[];
}

export interface StageStatistic {
  stage: string;
  kind: "active" | "wait";
  runs: number;
  runsAfterEndPoint: number;
  runsPastEndPoint: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  slowMeanSeconds: number | null;
  typicalMeanSeconds: number | null;
  extraSeconds: number | null;
  share: number | null;
}

export interface TailPart {
  slowMeanSeconds: number | null;
  typicalMeanSeconds: number | null;
  extraSeconds: number | null;
  share: number | null;
}

export interface StageStatistics {
  attempts: number;
  served: number;
  slowFrom: number | null;
  typicalUpTo: number | null;
  slowAttempts: number;
  typicalAttempts: number;
  deploymentExtraSeconds: number | null;
  complete: boolean;
  limit: number;
  stages: StageStatistic[];
  betweenStages: TailPart;
}

/** GET /api/v1/alerts (docs/api.md). */
export interface AlertJson {
  slo: string;
  alert: string;
  severity: "page" | "ticket";
  state: "inactive" | "pending" | "firing" | "resolved";
  since: string;
  activeAt: string | null;
  startsAt: string | null;
  evaluatedAt: string;
  atRisk: string[];
  notification: {
    key: string;
    deliveries: { target: string; status: "pending" | "delivered" | "dead"; attempts: number }[];
  } | null;
}

export interface AlertsJson {
  alerts: AlertJson[];
}
