// The iris classifier's artifact format and its inference: multinomial logistic regression over
// standardized features. Shared by train.mjs (metrics), validate.mjs (format) and server.mjs (load).

/** The artifact format this module reads and train.mjs writes. */
export const FORMAT = "deployslo-local-model/softmax-regression@1";

/** An artifact that cannot be used: `message` says what is wrong and where. */
export class ModelError extends Error {
  name = "ModelError";
}

const isNumber = (value) => typeof value === "number" && Number.isFinite(value);
const isNumberArray = (value) => Array.isArray(value) && value.every(isNumber);
const isStringArray = (value) =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string");

/**
 * Checks the artifact's format (fields and their types), not whether its tensors fit together:
 * a well-formed file can still fail `loadModel`, as the broken version 3 does.
 * @param {unknown} artifact the parsed model.json
 * @param {string} [expectedVersion] the version the artifact must declare
 * @returns {string[]} the problems found, empty when the format is right
 */
export function checkFormat(artifact, expectedVersion) {
  if (typeof artifact !== "object" || artifact === null || Array.isArray(artifact)) {
    return ["the artifact is not a JSON object"];
  }
  const a = /** @type {Record<string, unknown>} */ (artifact);
  const problems = [];
  if (a.format !== FORMAT)
    problems.push(`format must be "${FORMAT}", got ${JSON.stringify(a.format)}`);
  if (typeof a.name !== "string" || a.name === "") problems.push("name must be a non-empty string");
  if (typeof a.version !== "string" || a.version === "") {
    problems.push("version must be a non-empty string");
  } else if (expectedVersion !== undefined && a.version !== expectedVersion) {
    problems.push(
      `version is "${a.version}" but the artifact is published as version "${expectedVersion}"`,
    );
  }
  if (!isStringArray(a.features)) problems.push("features must be a non-empty array of strings");
  if (!isStringArray(a.classes)) problems.push("classes must be a non-empty array of strings");
  const standardize = /** @type {{mean?: unknown, std?: unknown} | null} */ (a.standardize);
  if (typeof standardize !== "object" || standardize === null) {
    problems.push("standardize must be an object with mean and std");
  } else {
    if (!isNumberArray(standardize.mean))
      problems.push("standardize.mean must be an array of numbers");
    if (!isNumberArray(standardize.std))
      problems.push("standardize.std must be an array of numbers");
  }
  if (!Array.isArray(a.weights) || a.weights.length === 0 || !a.weights.every(isNumberArray)) {
    problems.push("weights must be a non-empty array of arrays of numbers (one row per class)");
  }
  if (!isNumberArray(a.bias)) problems.push("bias must be an array of numbers (one per class)");
  return problems;
}

/**
 * Turns a parsed artifact into a servable model: the format must be right and every tensor must
 * have the shape the features and classes call for.
 * @param {unknown} artifact the parsed model.json
 * @param {string} [expectedVersion]
 * @returns {{name: string, version: string, features: string[], classes: string[],
 *   mean: number[], std: number[], weights: number[][], bias: number[],
 *   metrics: Record<string, unknown>}}
 * @throws {ModelError}
 */
export function loadModel(artifact, expectedVersion) {
  const problems = checkFormat(artifact, expectedVersion);
  if (problems.length > 0) throw new ModelError(problems.join("; "));
  const a = /** @type {any} */ (artifact);
  const nFeatures = a.features.length;
  const nClasses = a.classes.length;
  const expect = (what, actual, expected, meaning) => {
    if (actual !== expected) {
      throw new ModelError(`${what} has ${actual} values, expected ${expected} (${meaning})`);
    }
  };
  expect("standardize.mean", a.standardize.mean.length, nFeatures, "one per feature");
  expect("standardize.std", a.standardize.std.length, nFeatures, "one per feature");
  a.standardize.std.forEach((s, i) => {
    if (s <= 0) throw new ModelError(`standardize.std[${i}] is ${s}, it must be positive`);
  });
  expect("weights", a.weights.length, nClasses, "one row per class");
  a.weights.forEach((row, i) => {
    expect(`weights[${i}]`, row.length, nFeatures, "one per feature");
  });
  expect("bias", a.bias.length, nClasses, "one per class");
  return Object.freeze({
    name: a.name,
    version: a.version,
    features: [...a.features],
    classes: [...a.classes],
    mean: [...a.standardize.mean],
    std: [...a.standardize.std],
    weights: a.weights.map((row) => [...row]),
    bias: [...a.bias],
    metrics: { ...(a.metrics ?? {}) },
  });
}

/**
 * Class probabilities for standardized inputs (softmax of the linear scores).
 * @param {number[][]} weights one row per class
 * @param {number[]} bias one per class
 * @param {number[]} x standardized features
 * @returns {number[]}
 */
export function softmaxScores(weights, bias, x) {
  const scores = weights.map((row, k) =>
    row.reduce((sum, w, j) => sum + w * (x[j] ?? 0), bias[k] ?? 0),
  );
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/**
 * Predicts the class of each row of raw (unstandardized) features.
 * @param {ReturnType<typeof loadModel>} model
 * @param {number[][]} rows
 * @returns {{labels: string[], probabilities: number[][]}}
 */
export function predict(model, rows) {
  const probabilities = rows.map((row) =>
    softmaxScores(
      model.weights,
      model.bias,
      row.map((v, j) => (v - (model.mean[j] ?? 0)) / (model.std[j] ?? 1)),
    ),
  );
  const labels = probabilities.map((p) => model.classes[p.indexOf(Math.max(...p))] ?? "");
  return { labels, probabilities };
}
