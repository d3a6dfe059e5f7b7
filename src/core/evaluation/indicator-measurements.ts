import type { Attempt } from "../attempt/attempt.js";
import type { Indicator } from "../spec/slo.js";
import { spanSubject } from "./span-subject.js";
import { SUBJECT } from "./subject-outcome.js";

/**
 * What an indicator measures on one attempt, in ms: the deployment duration (startedAt →
 * servingAt) once it served; the span from its start to its end point once reached; each ended
 * run of the stage; each sample of the dependency. Empty
 * when the attempt has none of these yet.
 */
export function indicatorMeasurements(indicator: Indicator, attempt: Attempt): number[] {
  switch (indicator.kind) {
    case "deployment":
      return attempt.servingAt === null ? [] : [Math.max(0, attempt.servingAt - attempt.startedAt)];
    case "span": {
      const subject = spanSubject(indicator.from, indicator.to, attempt);
      return subject?.outcome === SUBJECT.succeeded && subject.stop !== null
        ? [subject.stop - subject.start]
        : [];
    }
    case "stage":
      return attempt.stages.flatMap((stage) =>
        stage.name !== indicator.stage || stage.endedAt === null || stage.status === "skipped"
          ? []
          : [Math.max(0, stage.endedAt - stage.startedAt)],
      );
    case "dependency":
      return attempt.dependencies.flatMap((sample) =>
        sample.name === indicator.dependency ? [sample.seconds * 1000] : [],
      );
  }
}
