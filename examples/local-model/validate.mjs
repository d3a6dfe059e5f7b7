// Checks a model version's artifact format before it is staged (the pipeline's validate stage).
// It checks fields and types only, as a registry's format check would: whether the tensors fit
// together is found out when a server loads the artifact (version 3 passes here, fails there).
// Usage: node examples/local-model/validate.mjs --model-dir DIR --version V
// Exit codes: 0 valid, 1 invalid or unreadable, 2 usage error.

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseCli, required } from "./cli-args.mjs";
import { checkFormat, FORMAT } from "./model.mjs";

const NAME = "local-model-validate";
const options = parseCli(
  NAME,
  "node examples/local-model/validate.mjs --model-dir DIR --version V",
  { "model-dir": { type: "string" }, version: { type: "string" } },
  (v) => ({
    modelDir: resolve(required(v["model-dir"], "--model-dir")),
    version: required(v.version, "--version"),
  }),
);

const file = join(options.modelDir, options.version, "model.json");
try {
  const problems = checkFormat(JSON.parse(await readFile(file, "utf8")), options.version);
  if (problems.length > 0) {
    process.stderr.write(`${NAME}: ${file} is not a valid ${FORMAT} artifact:\n`);
    for (const problem of problems) process.stderr.write(`  - ${problem}\n`);
    process.exit(1);
  }
  process.stdout.write(`${NAME}: ${file}: format ${FORMAT}, version ${options.version}: ok\n`);
} catch (error) {
  process.stderr.write(
    `${NAME}: cannot read ${file}: ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
}
