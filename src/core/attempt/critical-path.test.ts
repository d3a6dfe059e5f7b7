import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { criticalPath } from "./critical-path.js";

const s = (name: string, from: number, to: number | null) =>
  makeStage({
    name,
    startedAt: T0 + from * SECOND,
    endedAt: to === null ? null : T0 + to * SECOND,
  });

describe("criticalPath", () => {
  it("follows the branch of parallel stages that ended last", () => {
    const stages = [
      s("validate", 0, 10),
      s("stage-artifacts", 10, 100),
      s("provision", 10, 60),
      s("health-check", 100, 120),
    ];
    expect(criticalPath(stages, T0 + 120 * SECOND)).toEqual([0, 1, 3]);
  });

  it("ignores stages after `until` and skipped stages, and counts a running stage", () => {
    const stages = [
      s("validate", 0, 10),
      { ...s("approval", 10, 10), status: "skipped" as const },
      s("provision", 10, null),
      s("canary", 500, 900),
    ];
    expect(criticalPath(stages, T0 + 300 * SECOND)).toEqual([0, 2]);
  });

  it("is empty without stages", () => {
    expect(criticalPath([], T0)).toEqual([]);
  });

  it("returns a time-ordered chain of non-overlapping stages", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 50 })), {
          maxLength: 12,
        }),
        (spans) => {
          const stages = spans.map(([from, length], i) => s(`s${i}`, from, from + length));
          const path = criticalPath(stages, T0 + 200 * SECOND);
          expect(new Set(path).size).toBe(path.length);
          for (let i = 1; i < path.length; i++) {
            const before = stages[path[i - 1] ?? 0];
            const after = stages[path[i] ?? 0];
            expect((before?.endedAt ?? 0) <= (after?.startedAt ?? 0)).toBe(true);
          }
          if (stages.length > 0) {
            const lastEnd = Math.max(...stages.map((stage) => stage.endedAt ?? 0));
            expect(stages[path[path.length - 1] ?? 0]?.endedAt).toBe(lastEnd);
          }
        },
      ),
    );
  });
});
