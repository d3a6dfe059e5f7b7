import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { attemptToRecordJson } from "../../src/core/attempt/attempt-to-record-json.js";
import { DAY, HOUR, MINUTE, makeAttempt, T0 } from "../support/make-attempt.js";

/** The instant every gate in these tests decides as of: ten days after the history starts. */
export const GATE_AT = T0 + 10 * DAY;

/**
 * Three models, one per policy state as of GATE_AT, with a 90% target over 30 days:
 * `frozen-*` 10 of 20 attempts too slow (budget exhausted), `tight-*` 1 of 20 (half the budget
 * left, under its 60% approval line), `open-*` none.
 */
export const SPECS = `apiVersion: deployslo/v1
kind: SLO
metadata: {name: frozen}
spec:
  selector: {environment: production, model: "frozen-*"}
  objective: {threshold: 5m, target: 90%}
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: tight}
spec:
  selector: {environment: production, model: "tight-*"}
  objective: {threshold: 5m, target: 90%}
  policy: {approvalBelow: 60%}
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: open}
spec:
  selector: {environment: production, model: "open-*", labels: {team: risk}}
  objective: {threshold: 5m, target: 90%}
  policy: {approvalBelow: 10%}
`;

function history(model: string, slow: number, labels: Record<string, string> = {}): Attempt[] {
  return Array.from({ length: 20 }, (_, i) => {
    const startedAt = T0 + i * 6 * HOUR;
    const minutes = i < slow ? 20 : 2;
    return makeAttempt({
      id: `${model}-${i}`,
      model,
      labels,
      startedAt,
      servingAt: startedAt + minutes * MINUTE,
      endedAt: startedAt + minutes * MINUTE,
      outcome: "succeeded",
    });
  });
}

export const ATTEMPTS: readonly Attempt[] = [
  ...history("frozen-model", 10),
  ...history("tight-model", 1),
  ...history("open-model", 0, { team: "risk" }),
];

/** Writes the specs and the history to a temporary folder, for the offline gate. */
export async function scenarioFiles(): Promise<{ config: string; deployments: string }> {
  const dir = await mkdtemp(join(tmpdir(), "deployslo-gate-"));
  const config = join(dir, "slos.yaml");
  const deployments = join(dir, "attempts.ndjson");
  await writeFile(config, SPECS);
  await writeFile(
    deployments,
    `${ATTEMPTS.map((a) => JSON.stringify(attemptToRecordJson(a))).join("\n")}\n`,
  );
  return { config, deployments };
}
