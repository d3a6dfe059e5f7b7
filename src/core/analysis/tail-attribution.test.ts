import { describe, expect, it } from "vitest";
import { generatedAttempts } from "../../../test/support/generated-attempts.js";
import type { Attempt } from "../attempt/attempt.js";
import { tailAttribution } from "./tail-attribution.js";

describe("tailAttribution", () => {
  it("blames the stage that was made slow on cold starts", () => {
    // Staging: no approvals, so the tail is the pipeline's own work.
    const staging = (attempts: Attempt[]) => attempts.filter((a) => a.environment === "staging");
    const baseline = tailAttribution(staging(generatedAttempts({ seed: 5 })));
    // The generator provisions new nodes on cold starts: minutes instead of seconds.
    expect(baseline.blamed?.stage).toBe("provision");
    const slowed = tailAttribution(
      staging(generatedAttempts({ seed: 5, coldStartFactors: { "health-check": 20 } })),
    );
    expect(slowed.blamed?.stage).toBe("health-check");
    expect(slowed.blamed?.share).toBeGreaterThan(0.5);
    const shares = slowed.stages.flatMap((s) => (s.share === null ? [] : [s.share]));
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
  });

  it("never blames what runs after the first inference, and shows it", () => {
    const result = tailAttribution(generatedAttempts({ seed: 5 }));
    const canary = result.stages.find((s) => s.stage === "canary");
    expect(canary?.extraSeconds ?? 0).toBe(0);
    expect(result.blamed?.stage).not.toBe("canary");
    expect(canary?.onCriticalPath).toBe(0);
    expect(canary?.runsAfterEndPoint).toBeGreaterThan(0);
    expect(result.stages.at(-1)?.stage).toBe("canary");
  });

  it("counts how often each of two parallel stages is on the critical path", () => {
    const result = tailAttribution(generatedAttempts({ seed: 5 }));
    const artifacts = result.stages.find((s) => s.stage === "stage-artifacts");
    const provision = result.stages.find((s) => s.stage === "provision");
    // They run side by side: exactly one of them ends last in each attempt that served.
    expect((artifacts?.onCriticalPath ?? 0) + (provision?.onCriticalPath ?? 0)).toBe(result.served);
    expect(result.stages.find((s) => s.stage === "validate")?.criticalPathShare).toBe(1);
  });
});
