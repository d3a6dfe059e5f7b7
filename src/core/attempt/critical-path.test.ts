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

  it("never takes a stage that starts at or ends after the end point", () => {
    const stages = [
      s("provision", 0, 60),
      s("health-check", 60, 100),
      s("shift-traffic", 90, 130),
      s("canary", 100, 400),
    ];
    // servingAt = 100: canary starts then and shift-traffic ends later; neither delayed it.
    expect(criticalPath(stages, T0 + 100 * SECOND)).toEqual([0, 1]);
  });

  it("counts a running stage only while the end point is not reached", () => {
    const stages = [s("provision", 0, 60), s("canary", 80, null)];
    expect(criticalPath(stages, T0 + 100 * SECOND, T0 + 100 * SECOND)).toEqual([0, 1]);
    expect(criticalPath(stages, T0 + 100 * SECOND, T0 + 500 * SECOND)).toEqual([0]);
  });

  it("follows the DAG a pipeline ran: the need that ended last", () => {
    const stages = [
      s("checksum", 0, 10),
      s("pull", 0, 50),
      s("start", 50, 80),
      s("notify", 10, 20),
    ];
    expect(criticalPath(stages, T0 + 80 * SECOND)).toEqual([1, 2]);
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
          const endPoint = T0 + 100 * SECOND;
          const path = criticalPath(stages, endPoint);
          for (const index of path) {
            const stage = stages[index];
            expect(stage !== undefined && stage.startedAt < endPoint).toBe(true);
            expect((stage?.endedAt ?? 0) <= endPoint).toBe(true);
          }
          expect(new Set(path).size).toBe(path.length);
          for (let i = 1; i < path.length; i++) {
            const before = stages[path[i - 1] ?? 0];
            const after = stages[path[i] ?? 0];
            expect((before?.endedAt ?? 0) <= (after?.startedAt ?? 0)).toBe(true);
          }
          const before = stages.filter(
            (stage) => stage.startedAt < endPoint && (stage.endedAt ?? 0) <= endPoint,
          );
          if (before.length > 0) {
            const lastEnd = Math.max(...before.map((stage) => stage.endedAt ?? 0));
            expect(stages[path[path.length - 1] ?? 0]?.endedAt).toBe(lastEnd);
          }
        },
      ),
    );
  });
});
