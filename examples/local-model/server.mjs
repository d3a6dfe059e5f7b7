// A small Open Inference Protocol (v2) REST server for one version of the iris classifier.
// Usage: see USAGE below and examples/local-model/README.md.

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { basename, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { integer, parseCli, port, required } from "./cli-args.mjs";
import { HttpError, readJson, sendJson, stopOnSignals } from "./http-json.mjs";
import { loadModel, predict } from "./model.mjs";

const NAME = "local-model";
const USAGE =
  "node examples/local-model/server.mjs --model-dir DIR --version V --port P " +
  "[--host 127.0.0.1] [--load-delay-ms MS] [--infer-delay-ms MS] [--fail-every N]";
const MAX_ROWS = 10_000;
const OUTPUTS = ["label", "probabilities"];
const DATATYPES = ["FP32", "FP64"];

const options = parseCli(
  NAME,
  USAGE,
  {
    "model-dir": { type: "string" },
    version: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "load-delay-ms": { type: "string", default: "0" },
    "infer-delay-ms": { type: "string", default: "0" },
    "fail-every": { type: "string", default: "0" },
  },
  (v) => ({
    modelDir: resolve(required(v["model-dir"], "--model-dir")),
    version: required(v.version, "--version"),
    port: port(v.port, "--port"),
    host: required(v.host, "--host"),
    loadDelayMs: integer(v["load-delay-ms"], "--load-delay-ms", 0, 3_600_000),
    inferDelayMs: integer(v["infer-delay-ms"], "--infer-delay-ms", 0, 3_600_000),
    failEvery: integer(v["fail-every"], "--fail-every", 0, 1_000_000),
  }),
);

const modelName = basename(options.modelDir);
const artifactPath = join(options.modelDir, options.version, "model.json");
/** Set once the model has loaded; until then the server is live but not ready. */
let model;
/** Inference requests answered or failed so far. */
let inferences = 0;

const round = (value) => Number(value.toFixed(6));

function metadata() {
  return {
    name: modelName,
    versions: [options.version],
    platform: "deployslo-local-model",
    inputs: [{ name: "input-0", datatype: "FP32", shape: [-1, model.features.length] }],
    outputs: [
      { name: "label", datatype: "BYTES", shape: [-1] },
      { name: "probabilities", datatype: "FP32", shape: [-1, model.classes.length] },
    ],
    parameters: {
      features: model.features,
      classes: model.classes,
      metrics: model.metrics,
    },
  };
}

/** The rows of the request's single FP32 input tensor, checked against the model's features. */
function readRows(body) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "the request body must be a JSON object with an inputs array");
  }
  const { inputs, id, outputs } = body;
  if (id !== undefined && typeof id !== "string") throw new HttpError(400, "id must be a string");
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw new HttpError(400, "inputs must be an array with exactly one tensor");
  }
  const input = inputs[0];
  if (typeof input !== "object" || input === null)
    throw new HttpError(400, "inputs[0] must be an object");
  const where = `inputs[0] (${typeof input.name === "string" ? input.name : "unnamed"})`;
  if (!DATATYPES.includes(input.datatype)) {
    throw new HttpError(
      400,
      `${where}: datatype must be FP32 (or FP64), got ${JSON.stringify(input.datatype)}`,
    );
  }
  const width = model.features.length;
  const { shape } = input;
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !Number.isSafeInteger(shape[0]) ||
    shape[0] < 1 ||
    shape[0] > MAX_ROWS ||
    shape[1] !== width
  ) {
    throw new HttpError(
      400,
      `${where}: shape must be [n, ${width}] with 1 <= n <= ${MAX_ROWS} (features ${model.features.join(", ")}), got ${JSON.stringify(shape)}`,
    );
  }
  if (!Array.isArray(input.data)) throw new HttpError(400, `${where}: data must be an array`);
  const flat = input.data.flat();
  if (flat.length !== shape[0] * width) {
    throw new HttpError(
      400,
      `${where}: data has ${flat.length} values, shape ${JSON.stringify(shape)} needs ${shape[0] * width}`,
    );
  }
  const bad = flat.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) throw new HttpError(400, `${where}: data[${bad}] is not a finite number`);
  let wanted = OUTPUTS;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs)) throw new HttpError(400, "outputs must be an array of {name}");
    wanted = outputs.map((o, i) => {
      if (!OUTPUTS.includes(o?.name)) {
        throw new HttpError(400, `outputs[${i}].name must be one of ${OUTPUTS.join(", ")}`);
      }
      return o.name;
    });
  }
  const rows = Array.from({ length: shape[0] }, (_, i) => flat.slice(i * width, (i + 1) * width));
  return { rows, id: id ?? randomUUID(), wanted };
}

function infer(body) {
  const { rows, id, wanted } = readRows(body);
  const { labels, probabilities } = predict(model, rows);
  const tensors = {
    label: { name: "label", shape: [rows.length], datatype: "BYTES", data: labels },
    probabilities: {
      name: "probabilities",
      shape: [rows.length, model.classes.length],
      datatype: "FP32",
      data: probabilities.flat().map(round),
    },
  };
  return {
    model_name: modelName,
    model_version: model.version,
    id,
    outputs: wanted.map((name) => tensors[name]),
  };
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/;

async function route(req, res) {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const method = req.method ?? "GET";
  const onlyGet = () => {
    if (method !== "GET") throw new HttpError(405, `${method} is not allowed on ${path}`);
  };
  if (path === "/v2/health/live" || path === "/") {
    onlyGet();
    return sendJson(res, 200, { live: true });
  }
  if (path === "/v2/health/ready") {
    onlyGet();
    return sendJson(res, model ? 200 : 503, { ready: Boolean(model) });
  }
  if (path === "/v2") {
    onlyGet();
    return sendJson(res, 200, { name: NAME, version: "1", extensions: [] });
  }
  const match = MODEL_PATH.exec(path);
  if (!match) throw new HttpError(404, `no such endpoint: ${path}`);
  const [, name, version, action] = match;
  if (decodeURIComponent(name ?? "") !== modelName) {
    throw new HttpError(404, `model ${name} is not served here (this server serves ${modelName})`);
  }
  if (version !== undefined && decodeURIComponent(version) !== options.version) {
    throw new HttpError(
      404,
      `model ${modelName} version ${version} is not served here (this server serves version ${options.version})`,
    );
  }
  if (action === "ready") {
    onlyGet();
    return sendJson(res, model ? 200 : 503, { name: modelName, ready: Boolean(model) });
  }
  if (!model)
    throw new HttpError(503, `model ${modelName} version ${options.version} is still loading`);
  if (action === "infer") {
    if (method !== "POST")
      throw new HttpError(405, `${method} is not allowed on ${path}, use POST`);
    const body = await readJson(req);
    inferences++;
    // Fault injection for canary demos and tests: a slow runtime, or a version that breaks.
    if (options.inferDelayMs > 0) await sleep(options.inferDelayMs);
    if (options.failEvery > 0 && inferences % options.failEvery === 0)
      throw new HttpError(
        500,
        `inference ${inferences} failed (--fail-every ${options.failEvery})`,
      );
    return sendJson(res, 200, infer(body));
  }
  onlyGet();
  return sendJson(res, 200, metadata());
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (!res.headersSent)
      sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
    else res.destroy();
  });
});

/** Reads and checks the artifact, then runs one warm-up inference, as real servers do. */
async function load() {
  const started = performance.now();
  await sleep(options.loadDelayMs);
  const loaded = loadModel(JSON.parse(await readFile(artifactPath, "utf8")), options.version);
  if (loaded.name !== modelName) {
    throw new Error(`the artifact names model "${loaded.name}", the directory "${modelName}"`);
  }
  const warmUp = predict(loaded, [loaded.mean]).probabilities[0] ?? [];
  if (!warmUp.every(Number.isFinite))
    throw new Error("the warm-up inference gave no finite probabilities");
  return { loaded, ms: Math.round(performance.now() - started) };
}

server.on("error", (error) => {
  process.stderr.write(
    `${NAME}: cannot listen on ${options.host}:${options.port}: ${error.message}\n`,
  );
  process.exit(1);
});

server.listen(options.port, options.host, () => {
  const address = server.address();
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${typeof address === "object" && address ? address.port : options.port}`;
  process.stdout.write(
    `${NAME}: listening on ${url} (loading ${modelName} version ${options.version})\n`,
  );
  load().then(
    ({ loaded, ms }) => {
      model = loaded;
      process.stdout.write(
        `${NAME}: ready on ${url}: ${modelName} version ${loaded.version} (loaded in ${ms} ms)\n`,
      );
    },
    (error) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `${NAME}: cannot load ${modelName} version ${options.version} from ${artifactPath}: ${reason}\n`,
      );
      process.exit(1);
    },
  );
});

stopOnSignals([server]);
