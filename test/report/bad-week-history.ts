import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const HOUR = 3_600_000;
export const BAD_FROM = Date.parse("2026-10-12T00:00:00Z");
export const BAD_TO = Date.parse("2026-10-19T00:00:00Z");
/** Attempts are hourly from here to the end of October. */
const FIRST = Date.parse("2026-09-01T00:00:00Z");
const END = Date.parse("2026-11-01T00:00:00Z");

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One attempt an hour: validate 60 s, stage-artifacts 120 s, health-check 60 s, serving at 4 min.
 * In the bad week (Oct 12–18) stage-artifacts takes 20 min + k s, k the hour's index in the week
 * (0…167), so every attempt that week takes 1,320 + k s: over a 10-minute threshold, the last
 * one the slowest.
 */
export function badWeekRecords(model = "ranker"): string {
  const lines: string[] = [];
  for (let start = FIRST, n = 0; start < END; start += HOUR, n++) {
    const bad = start >= BAD_FROM && start < BAD_TO;
    const artifactsMs = bad ? 1_200_000 + ((start - BAD_FROM) / HOUR) * 1000 : 120_000;
    const validated = start + 60_000;
    const staged = validated + artifactsMs;
    const healthy = staged + 60_000;
    lines.push(
      JSON.stringify({
        id: `a${n}`,
        model,
        version: String(n),
        environment: "production",
        startedAt: iso(start),
        servingAt: iso(healthy),
        endedAt: iso(healthy),
        outcome: "succeeded",
        stages: [
          { name: "validate", startedAt: iso(start), endedAt: iso(validated), status: "succeeded" },
          {
            name: "stage-artifacts",
            startedAt: iso(validated),
            endedAt: iso(staged),
            status: "succeeded",
          },
          {
            name: "health-check",
            startedAt: iso(staged),
            endedAt: iso(healthy),
            status: "succeeded",
          },
        ],
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

export const BAD_WEEK_SLO = `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: prod
  description: production promotions serve within 10 minutes
spec:
  selector: { environment: production }
  objective: { threshold: 10m, target: 99% }
  window: 30d
`;

/** Writes the history and the SLO to a fresh folder: [deployments, config]. */
export function writeBadWeek(model?: string): [string, string] {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-report-"));
  const deployments = join(dir, "history.ndjson");
  const config = join(dir, "slos.yaml");
  writeFileSync(deployments, badWeekRecords(model));
  writeFileSync(config, BAD_WEEK_SLO);
  return [deployments, config];
}
